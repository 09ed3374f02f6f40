#!/bin/sh
# Regenerates the golden files from sysdig (Debian 12's sysdig 0.29.3 reads
# captures without a kernel driver). For every capture in testdata/captures
# and every filter in filters.txt, <capture>.golden holds one line:
#   <filter line number><TAB><event numbers sysdig selects, space separated>
# or, when sysdig cannot parse the filter,
#   <filter line number><TAB>ERROR <sysdig's message>
# <capture>.fields holds sysdig's -p output of FIELDS_FORMAT for every event.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../../.." && pwd)
caps="$root/testdata/captures"
FIELDS_FORMAT='*%evt.num|%evt.type|%evt.dir|%evt.cpu|%proc.name|%proc.pid|%thread.tid|%proc.ppid|%proc.pname|%proc.exe|%proc.cmdline|%user.name|%user.uid|%fd.num|%fd.name|%fd.typechar|%fd.type|%fd.sip|%fd.sport|%fd.cip|%fd.cport|%fd.l4proto|%container.id|%container.name|%evt.res|%evt.failed|%syscall.type|%evt.is_syslog|%evt.time.iso8601|%evt.datetime.s|%fd.cproto|%fd.sproto|%fd.lproto|%fd.rproto|%fd.containerdirectory|%fd.uid|%evt.reltime|%evt.reltime.s|%evt.reltime.ns|%evt.latency.ns|%proc.fdopencount|%thread.cgroups|%thread.cgroup.cpu|%thread.cgroup.memory|%thread.cgroup.blkio|%thread.cgroup.perf_event|%proc.loginshellid|%evt.abspath|%evt.abspath.src|%evt.abspath.dst|%evt.args'
sysdig --version >"$here/SYSDIG_VERSION"
for cap in "$caps"/*.scap; do
  name=$(basename "$cap" .scap)
  out="$here/$name.golden"
  : >"$out"
  n=0
  while IFS= read -r filter; do
    n=$((n + 1))
    if nums=$(sysdig -r "$cap" "$filter" -p '%evt.num' 2>&1); then
      printf '%s\t%s\n' "$n" "$(printf '%s' "$nums" | tr '\n' ' ' | sed 's/ *$//')" >>"$out"
    else
      printf '%s\tERROR %s\n' "$n" "$(printf '%s' "$nums" | tr '\n' ' ')" >>"$out"
    fi
  done <"$here/filters.txt"
  sysdig -r "$cap" -p "$FIELDS_FORMAT" >"$here/$name.fields"
  # newer-dialect.txt: sysdig's selection for each filter's 0.29 equivalent.
  out="$here/$name.newer"
  : >"$out"
  n=0
  grep -v '^#' "$here/newer-dialect.txt" | while IFS='	' read -r newer equivalent; do
    n=$((n + 1))
    if nums=$(sysdig -r "$cap" "$equivalent" -p '%evt.num' 2>&1); then
      printf '%s\t%s\n' "$n" "$(printf '%s' "$nums" | tr '\n' ' ' | sed 's/ *$//')" >>"$out"
    else
      printf '%s\tERROR %s\n' "$n" "$(printf '%s' "$nums" | tr '\n' ' ')" >>"$out"
    fi
  done
done
