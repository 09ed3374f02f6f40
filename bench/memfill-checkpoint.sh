#!/bin/sh
# Makes the benchmarks' large checkpoint once: a real podman + CRIU checkpoint of a perl
# process holding 1.1 GiB of varied data (bench/memory-fill.pl; shared/docs/lab.md).
#
#   bench/memfill-checkpoint.sh DIR [--with-zstd]
#
# Writes DIR/memfill.tar (uncompressed, like the kubelet's) and, with --with-zstd, also
# DIR/memfill.tar.zst from the same process. Does nothing when they are there already;
# prints "made" when it made them (callers drop what they derived from older ones).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: bench/memfill-checkpoint.sh DIR [--with-zstd]}
zst=${2:-}
mkdir -p "$dir"
[ -f "$dir/memfill.tar" ] && { [ "$zst" != --with-zstd ] || [ -f "$dir/memfill.tar.zst" ]; } && exit 0

command -v podman >/dev/null || { echo "podman is needed to make the benchmark checkpoint (shared/docs/lab.md)" >&2; exit 1; }
echo "making the checkpoint (a process filling 1.1 GiB)..." >&2
name=stasis-bench-memfill-$$
cp "$root/bench/memory-fill.pl" "$dir/fill.pl"
podman --runtime runc run -d --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --name "$name" \
  -v "$dir/fill.pl:/fill.pl:ro" localhost/base:12 perl /fill.pl >/dev/null
until podman logs "$name" 2>/dev/null | grep -q ready; do sleep 2; done
if [ "$zst" = --with-zstd ]; then
  podman container checkpoint --leave-running --export="$dir/memfill.tar" --compress none "$name" >/dev/null
  podman container checkpoint --export="$dir/memfill.tar.zst" --compress zstd "$name" >/dev/null
else
  podman container checkpoint --export="$dir/memfill.tar" --compress none "$name" >/dev/null
fi
podman rm -f "$name" >/dev/null 2>&1 || true
echo made
