#!/usr/bin/env bash
# Builds the stasis container image with Jib (Maven profile `image` of the cli
# module), with no Docker daemon and nothing pulled from the internet:
#   1. a local registry (Debian's docker-registry) on 127.0.0.1:5000, storage
#      and config under $WORK (default /tmp/stasis-image);
#   2. the base image: the lab's debootstrap base (localhost/base:12) plus a
#      Java runtime jlink'd from the Temurin 25 JDK (the modules stasis uses),
#      a non-root user 65532 and /tmp, /data as the only places meant for
#      writing; built with buildah, pushed to the registry with skopeo;
#   3. Jib layers the application (dependencies, snapshot modules, classes) on
#      it and writes an OCI tar (cli/target/jib-image.tar); with PUSH=1 also
#      pushes to the registry (127.0.0.1:5000/stasis:VERSION);
#   4. the tar is loaded into podman (localhost/stasis:dev) and checked:
#      `podman run --read-only --user 65532 ... analyze /data/x.tar`.
# Prints the image's size and the start-up time of `--version` and `analyze`.
#
#   deploy/image/build.sh            BASE_IMAGE=registry/base:tag overrides step 2 (any image with java on PATH)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
WORK=${WORK:-/tmp/stasis-image}
REGISTRY=${REGISTRY:-127.0.0.1:5000}
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
mkdir -p "$WORK"

# 1. the registry
if ! curl -fsS "http://$REGISTRY/v2/" >/dev/null 2>&1; then
  mkdir -p "$WORK/registry"
  cat > "$WORK/registry.yml" <<YML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $WORK/registry}, delete: {enabled: true}}
http: {addr: $REGISTRY}
YML
  nohup docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
  echo $! > "$WORK/registry.pid"
  for i in $(seq 1 50); do curl -fsS "http://$REGISTRY/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
  echo "registry: started on $REGISTRY (pid $(cat "$WORK/registry.pid"), storage $WORK/registry)"
fi

# 2. the base image
if [ -z "${BASE_IMAGE:-}" ]; then
  BASE_IMAGE=$REGISTRY/stasis-base:25
  if [ -n "${REBUILD_BASE:-}" ] || ! skopeo inspect --tls-verify=false "docker://$BASE_IMAGE" >/dev/null 2>&1; then
    rm -rf "$WORK/jre"
    # what the modules and their libraries use (jdeps over the class path, checked by running analyze, serve, evidence in the image)
    "$JDK/bin/jlink" --add-modules java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs,jdk.naming.dns \
      --strip-debug --no-header-files --no-man-pages --output "$WORK/jre"
    cat > "$WORK/Containerfile" <<'CF'
FROM localhost/base:12
COPY jre /opt/java
ENV JAVA_HOME=/opt/java PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# the class data sharing archive is generated here, where the root filesystem is still writable
RUN /opt/java/bin/java -Xshare:dump -version >/dev/null 2>&1 || true; mkdir -p /data && chmod 1777 /tmp
CF
    buildah bud --quiet --layers -f "$WORK/Containerfile" -t localhost/stasis-base:25 "$WORK" >/dev/null
    skopeo copy --quiet --dest-tls-verify=false containers-storage:localhost/stasis-base:25 "docker://$BASE_IMAGE"
    echo "base: $BASE_IMAGE (localhost/base:12 + jlink'd Temurin $("$WORK/jre/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2), $(du -sh "$WORK/jre" | cut -f1) runtime)"
  fi
fi

# 3. Jib
args=(-B -ntp -q -pl cli -Pimage -Dmaven.test.skip=true "-Dstasis.image.base=$BASE_IMAGE")
goal=jib:buildTar
[ -z "${PUSH:-}" ] || goal="jib:buildTar jib:build -Dstasis.image.name=$REGISTRY/stasis:dev"
t0=$(date +%s.%N)
flock /tmp/stasis-build-cli.lock ./mvnw "${args[@]}" package $goal
echo "jib: cli/target/jib-image.tar in $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-5) s (mvn package + jib)"

# 4. load, check and measure
podman load -q -i cli/target/jib-image.tar >/dev/null   # tagged localhost/stasis:dev (the OCI ref.name Jib wrote)
size=$(podman image inspect localhost/stasis:dev --format '{{.Size}}')
base_size=$(podman image inspect localhost/stasis-base:25 --format '{{.Size}}' 2>/dev/null || echo 0)
echo "image: localhost/stasis:dev $(awk -v s="$size" 'BEGIN{printf "%.0f MB", s/1e6}') ($(awk -v s="$base_size" 'BEGIN{printf "%.0f MB", s/1e6}') base, of it" \
     "$(du -sm "$WORK/jre" 2>/dev/null | cut -f1) MB Java runtime); OCI tar $(du -m cli/target/jib-image.tar | cut -f1) MB"
# the lab's podman needs runc and explicit rlimits (shared/docs/lab.md)
run=(podman run --rm --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --read-only --user 65532 --network none
     -v "$root/testdata/checkpoints:/data:ro")
"${run[@]}" localhost/stasis:dev analyze /data/irc-bot.tar.zst --format json > "$WORK/analyze.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("check: analyze /data/irc-bot.tar.zst in the image, read-only root, uid 65532:", d.get("verdict", d.get("summary", "?")) if isinstance(d, dict) else "?")' "$WORK/analyze.json"
best() { # CMD...: the best of 5 wall times, ms
  local b=999999 t0 t1 ms
  for i in 1 2 3 4 5; do t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); ms=$(( (t1 - t0) / 1000000 )); [ $ms -lt $b ] && b=$ms; done
  echo $b
}
t_true=$(best "${run[@]}" --entrypoint /bin/true localhost/stasis:dev)
t_version=$(best "${run[@]}" localhost/stasis:dev --version)
t_analyze=$(best "${run[@]}" localhost/stasis:dev analyze /data/benign-web.tar.zst)
echo "start-up (best of 5, load average $(cut -d' ' -f1 /proc/loadavg)): podman run of /bin/true ${t_true} ms; stasis --version ${t_version} ms;" \
     "analyze benign-web.tar.zst ${t_analyze} ms (so the JVM and stasis add $((t_version - t_true)) ms and $((t_analyze - t_true)) ms)"
