#!/bin/bash
# record.sh NAME CMD...: starts CMD GOFILE, records it with stasis capture record --pid, then creates GOFILE.
# EXTRA='shell command' runs half a second after that (ipv6_listening.py's outside client).
name=$1; shift
go=/tmp/h-b/fid/$name.go; rm -f $go
out=/tmp/h-b/fid/$name.scap
env -i PATH=/usr/bin:/bin "$@" $go &
P=$!
sleep 0.5
cd /work/main
STASIS_NO_BUILD=1 STASIS_DAEMON=0 ./stasis capture record --pid $P -w $out --duration 20s &
R=$!
sleep 3
touch $go
if [ -n "$EXTRA" ]; then sleep 0.5; eval "$EXTRA"; fi
wait $R
wait $P
rm -f $go
ls -l $out
