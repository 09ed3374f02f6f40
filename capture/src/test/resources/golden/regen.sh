#!/bin/sh
# Regenerates the golden outputs of the reference reader (Debian sysdig 0.29.3,
# `sysdig -r`, no kernel driver needed) for every shared capture. The tests
# compare stasis against these files, so they run without sysdig installed.
#   default/<capture>.txt  sysdig -r FILE            (the default line format)
#   fields/<capture>.txt   sysdig -r FILE -p FIELDS  (fields the state must resolve)
#   tty/<capture>.txt      sysdig -r FILE -p '%evt.num|%proc.tty'
#   newer-fields/<capture>.txt  sysdig -r FILE -p NEWER_FIELDS
#   concat/A+B+C.txt       sysdig -r of the uncompressed captures A, B, C concatenated
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../../.." && pwd)
caps="$root/testdata/captures"
FIELDS='*%evt.num|%evt.type|%evt.dir|%thread.tid|%proc.pid|%proc.ppid|%proc.name|%proc.exe|%proc.args|%proc.cwd|%user.uid|%user.name|%fd.num|%fd.typechar|%fd.name|%fd.l4proto|%fd.cip|%fd.cport|%fd.sip|%fd.sport|%fd.type|%fd.is_server|%container.id'
# newer-fields/: the fields added for Falco users (session leader, latency, fd renames)
NEWER_FIELDS='*%evt.num|%proc.sname|%evt.latency|%evt.latency.s|%evt.latency.human|%fd.name_changed'
mkdir -p "$here/default" "$here/fields" "$here/tty" "$here/newer-fields"
sysdig --version > "$here/SYSDIG_VERSION"
# follow/: the I/O results on one connection, for the follow and conversations tests
mkdir -p "$here/follow"
sysdig -r "$caps/libs_curl_google.scap" -p '%evt.num %evt.dir %evt.type %evt.rawarg.res %fd.name' \
  'fd.name contains 2607:f8b0:4004:802::2004 and evt.dir=<' > "$here/follow/libs_curl_google.txt"
for f in "$caps"/*.scap; do
  n=$(basename "$f" .scap)
  sysdig -r "$f" > "$here/default/$n.txt"
  sysdig -r "$f" -p "$FIELDS" > "$here/fields/$n.txt"
  sysdig -r "$f" -p '%evt.num|%proc.tty' > "$here/tty/$n.txt"
  sysdig -r "$f" -p "$NEWER_FIELDS" > "$here/newer-fields/$n.txt"
done
# concat/: a capture of several sections (sysdig restarts its state at each section header)
mkdir -p "$here/concat"
tmp=$(mktemp)
for n in falco_cat_write falco_connect_localhost falco_cat_write; do zcat -f "$caps/$n.scap"; done > "$tmp"
sysdig -r "$tmp" > "$here/concat/falco_cat_write+falco_connect_localhost+falco_cat_write.txt"
rm -f "$tmp"
# rules/: for a capture where Falco's default rules fire, sysdig's selection for each rule's condition
# (spelled in sysdig 0.29's dialect, lists expanded) and for a few plain filters ("-")
for spec in "$here"/rules/*.filters; do
  n=$(basename "$spec" .filters)
  while IFS='	' read -r rule filter; do
    printf '%s\t%s\t%s\n' "$rule" "$filter" "$(sysdig -r "$caps/$n.scap" -p '%evt.num' "$filter" | tr '\n' ' ' | sed 's/ *$//')"
  done < "$spec" > "$here/rules/$n.txt"
done
