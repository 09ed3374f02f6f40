#!/usr/bin/env bash
# Runs the WorkflowTemplate's action steps (deploy/argo/workflowtemplate.yaml: `stasis act checkpoint|label|
# isolate|notify`, and annotate, which the policy also orders) with their exact command lines, in the built image
# (localhost/stasis:dev, deploy/image/build.sh) under podman: read-only root, uid 65532, no capabilities.
# What a cluster would give the steps, stood in for on this machine (there is no Kubernetes here):
#   - the API server: the fabric8 Kubernetes mock server in CRUD mode, a standalone process on 127.0.0.1 holding a
#     Node and the alert's Pod (response's test class e2e.LabCluster, run from the test class path);
#   - the pod's node's kubelet checkpoint API (POST /checkpoint/{ns}/{pod}/{container}, HTTPS, bearer token), in
#     the same process, whose runtime is the real podman: each request runs `podman container checkpoint
#     --export` on a lab container, so the step gets a real CRIU archive;
#   - a webhook receiver for notify.
# The configuration is deploy/argo/stasis.yaml with the kubelet's port, token file and CA pointed at the stand-ins;
# the policy is deploy/argo/policy.yaml plus a notify action to the receiver. Each step's result is then checked
# against what it changed, read from elsewhere: the archive with `tar` and `stasis analyze` (also in the image),
# the Pod and its NetworkPolicy from the API server with curl, the webhook's body from the receiver's file.
#
#   deploy/image/steps-in-image.sh          (as root, after deploy/image/build.sh and `./mvnw -pl response test-compile`)
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
IMAGE=${IMAGE:-localhost/stasis:dev}
. .mvn/find-jdk.sh   # exports JAVA_HOME: a JDK >= 21 (the system java may be 17)
JAVA=${JAVA:-$JAVA_HOME/bin/java}
LAB=${LAB:-/tmp/stasis-steps}
NS=shop POD=web-7c9f CTR=web NODE=lab-node VICTIM=stasis-steps-victim
rm -rf "$LAB"; mkdir -p "$LAB"/{config,trust,kubelet,in}
pass=0 fail=0
check() { # WHAT CONDITION...: prints ok/FAILED
  local what=$1; shift
  if "$@" >/dev/null 2>&1; then echo "   ok: $what"; pass=$((pass + 1)); else echo "   FAILED: $what"; fail=$((fail + 1)); fi
}
cleanup() {
  [ -n "${lab_pid:-}" ] && kill "$lab_pid" 2>/dev/null
  podman rm -f -t 0 "$VICTIM" >/dev/null 2>&1
}
trap cleanup EXIT

# the lab container the kubelet stand-in checkpoints (shared/docs/lab.md: runc, explicit rlimits)
podman rm -f -t 0 "$VICTIM" >/dev/null 2>&1
podman run -d --name "$VICTIM" --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 localhost/base:12 \
  sh -c 'echo "c2=10.88.0.1:6667" > /tmp/.cfg; while :; do sleep 1; done' >/dev/null || { echo "cannot start the lab container"; exit 1; }

# the API server, kubelet and webhook stand-ins, from response's test class path
cp=$(./mvnw -o -q -B -ntp -pl response dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout 2>/dev/null)
"$JAVA" -cp "response/target/test-classes:response/target/classes:$cp" dev.stasis.response.e2e.LabCluster "$LAB" $NS $POD $CTR $NODE "$VICTIM" \
  > "$LAB/lab-cluster.log" 2>&1 &
lab_pid=$!
for i in $(seq 1 120); do [ -s "$LAB/lab.env" ] && break; sleep 0.5; done
[ -s "$LAB/lab.env" ] || { echo "the lab cluster did not start:"; cat "$LAB/lab-cluster.log"; exit 1; }
. "$LAB/lab.env"
echo "lab: $(tail -1 "$LAB/lab-cluster.log")"

# the workflow's configuration and policy, pointed at the stand-ins
sed -e "s|port: 10250|port: $KUBELET_PORT|" -e "s|tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token|tokenFile: /etc/stasis/kubelet/token|" \
  deploy/argo/stasis.yaml > "$LAB/config/stasis.yaml"
awk -v url="$NOTIFY_URL" '{print} /^      - isolate$/ && !done {print "      - notify: {url: \"" url "\"}"; done=1}' deploy/argo/policy.yaml > "$LAB/config/policy.yaml"
cp "$KUBELET_CA" "$LAB/trust/ca.crt"
printf '%s\n' "$KUBELET_TOKEN" > "$LAB/kubelet/token"
chmod -R a+rX "$LAB"
cat > "$LAB/in/alert.json" <<JSON
{"uuid":"6f1c2a9e-3b4d-4c5e-8f70-0a1b2c3d4e5f","output":"Outbound connection to C2 server (command=bot connection=10.88.0.2:40000->10.88.0.1:6667)","priority":"Critical","rule":"Outbound Connection to C2 Servers","time":"2026-12-04T12:00:00.000000000Z","source":"syscall","hostname":"$NODE","tags":["mitre_command_and_control","network"],"output_fields":{"k8s.ns.name":"$NS","k8s.pod.name":"$POD","container.name":"$CTR","container.id":"0123456789ab","fd.name":"10.88.0.2:40000->10.88.0.1:6667","proc.cmdline":"bot"}}
JSON

# the step's container: as the WorkflowTemplate's `act` template (read-only root, uid 65532, no capabilities, the
# alert as an artefact at /tmp/alert.json), with the stand-ins on the host's loopback and the API server's address
# given as in-cluster configuration would give it
common=(podman run --rm --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --read-only --cap-drop ALL
        --security-opt no-new-privileges)
run=("${common[@]}" --user 65532 --network host -e KUBERNETES_MASTER="$API_URL"
     -v "$LAB/config:/etc/stasis/config:ro" -v "$LAB/trust:/etc/stasis/trust:ro" -v "$LAB/kubelet:/etc/stasis/kubelet:ro"
     -v "$LAB/in/alert.json:/tmp/alert.json:ro" "$IMAGE")
step() { # NAME OUTFILE ARGS...: prints the exact command, runs it, prints its exit code and output
  local name=$1 out=$2; shift 2
  echo; echo "== $name"; echo "\$ ${cmd[*]} $*"
  "${cmd[@]}" "$@" > "$out" 2> "$out.err"; local rc=$?
  echo "   exit $rc; stdout: $(head -c 500 "$out" | tr '\n' ' ')"
  if [ -s "$out.err" ]; then echo "   stderr: $(head -c 300 "$out.err" | tr '\n' ' ')"; fi
  return $rc
}
act() { # ACTION: the WorkflowTemplate's act step, args as written there ({{workflow.uid}} an example uid)
  step "act $1" "$LAB/$1.json" act "$1" --config /etc/stasis/config/stasis.yaml --alert /tmp/alert.json \
    --alert-id 3f6b1c52-8d0e-4a7b-9c21-5e4f7a8b9c0d --format json
}
api() { curl -fsS "$API_URL$1"; }
cmd=("${run[@]}")

act checkpoint
check "exit 0" test -s "$LAB/checkpoint.json"
archive=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"]["path"])' "$LAB/checkpoint.json" 2>/dev/null)
check "the kubelet's answer names an archive in its checkpoint directory: $archive" test -f "$archive"
check "the archive is podman's CRIU checkpoint (checkpoint/inventory.img, config.dump, spec.dump)" \
  sh -c "tar -tf '$archive' | grep -qx 'checkpoint/inventory.img' && tar -tf '$archive' | grep -qx config.dump && tar -tf '$archive' | grep -qx spec.dump"
check "the lab container still runs (leaveRunning)" sh -c "[ \"\$(podman inspect -f '{{.State.Running}}' $VICTIM)\" = true ]"
echo "   archive: $(du -h "$archive" | cut -f1), $(tar -tf "$archive" | wc -l) entries"

# the analyze step on that archive: the template's args, on the node's checkpoint directory, uid 0 without capabilities
mkdir -p "$LAB/analyze-tmp"
cmd=("${common[@]}" --user 0 --network none -v "$CHECKPOINT_DIR:/checkpoints:ro" -v "$LAB/analyze-tmp:/tmp" "$IMAGE")
step "analyze (the template's analyze step, on the archive the checkpoint step made)" "$LAB/analyze.out" \
  analyze "/checkpoints/$(basename "$archive")" --format json -o /tmp/report.json --quiet
check "the report (the workflow's artefact) shows the lab container's shell loop and its sleep" \
  python3 -c 'import json,sys; s=json.dumps(json.load(open(sys.argv[1]))); sys.exit(0 if "while" in s and "sleep" in s else 1)' "$LAB/analyze-tmp/report.json"
cmd=("${run[@]}")

act label
check "the Pod has the policy's label, read back from the API server" \
  sh -c "curl -fsS '$API_URL/api/v1/namespaces/$NS/pods/$POD' | python3 -c 'import json,sys; l=json.load(sys.stdin)[\"metadata\"][\"labels\"]; sys.exit(0 if l.get(\"stasis.dev/quarantined\")==\"true\" and l.get(\"app\")==\"$POD\" else 1)'"

act annotate
check "the Pod has the policy's annotation and the alert id" \
  sh -c "curl -fsS '$API_URL/api/v1/namespaces/$NS/pods/$POD' | python3 -c 'import json,sys; a=json.load(sys.stdin)[\"metadata\"][\"annotations\"]; sys.exit(0 if a.get(\"stasis.dev/reason\",\"\").startswith(\"outbound\") and a.get(\"stasis.dev/alert-id\") else 1)'"

act isolate
check "a deny-all NetworkPolicy selecting the pod, read back from the API server" \
  sh -c "curl -fsS '$API_URL/apis/networking.k8s.io/v1/namespaces/$NS/networkpolicies' | python3 -c 'import json,sys
items=json.load(sys.stdin)[\"items\"]
ok=[p for p in items if p[\"metadata\"][\"name\"].startswith(\"stasis-isolate-\") and sorted(p[\"spec\"][\"policyTypes\"])==[\"Egress\",\"Ingress\"] and not p[\"spec\"].get(\"ingress\") and not p[\"spec\"].get(\"egress\")]
sys.exit(0 if len(ok)==1 else 1)'"
check "the pod is selected by it (stasis.dev/isolate label on the Pod)" \
  sh -c "curl -fsS '$API_URL/api/v1/namespaces/$NS/pods/$POD' | grep -q 'stasis.dev/isolate'"

act notify
check "the webhook receiver got one message naming the rule and the pod" \
  sh -c "[ \$(wc -l < '$LAB/notify.jsonl') = 1 ] && grep -q 'Outbound Connection to C2 Servers' '$LAB/notify.jsonl' && grep -q '$NS/$POD' '$LAB/notify.jsonl'"

# a permanent failure is exit 1 (the template's retryStrategy does not retry it): a pod the API server does not know
sed "s/\"$POD\"/\"gone-pod\"/" "$LAB/in/alert.json" > "$LAB/in/gone.json"
cmd=("${common[@]}" --user 65532 --network host -e KUBERNETES_MASTER="$API_URL" -v "$LAB/config:/etc/stasis/config:ro" -v "$LAB/trust:/etc/stasis/trust:ro"
     -v "$LAB/kubelet:/etc/stasis/kubelet:ro" -v "$LAB/in/gone.json:/tmp/alert.json:ro" "$IMAGE")
step "act checkpoint (a pod that is gone)" "$LAB/gone.json" act checkpoint --config /etc/stasis/config/stasis.yaml --alert /tmp/alert.json \
  --alert-id 3f6b1c52-8d0e-4a7b-9c21-5e4f7a8b9c0e --format json
rc=$?
check "exit 1, not 75 (no retry), one line on stderr" sh -c "[ $rc = 1 ] && [ \$(wc -l < '$LAB/gone.json.err') = 1 ]"

# `stasis serve` in the image with executor argo: its intake, policy, cool-down and journal in front of the Argo
# Server's submit API (the stand-in: HTTPS, bearer token, the WorkflowTemplate's parameters checked)
mkdir -p "$LAB/serve" "$LAB/serve-state"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
openssl rand -hex 32 > "$LAB/serve/alert-token"
printf '%s\n' "$ARGO_TOKEN" > "$LAB/serve/argo-token"
sed -e "s|^listen: .*|listen: 127.0.0.1:$port|" -e "s|^auth: .*|auth: {mode: bearer, tokenFile: /etc/stasis/serve/alert-token}|" \
    -e "s|^stateDir: .*|stateDir: /var/lib/stasis|" -e "s|^retry: .*|retry: {maxAttempts: 5, base: 1s, max: 10s}|" \
  "$LAB/config/stasis.yaml" > "$LAB/serve/stasis.yaml"
cat >> "$LAB/serve/stasis.yaml" <<YML
executor:
  kind: argo
  server: $ARGO_URL
  namespace: stasis-agent
  workflowTemplate: stasis-respond
  tokenFile: /etc/stasis/serve/argo-token
  caFile: /etc/stasis/trust/ca.crt
YML
sed 's|tokenFile: /etc/stasis/serve/argo-token|tokenFile: /etc/stasis/serve/no-such-token|' "$LAB/serve/stasis.yaml" > "$LAB/serve/broken.yaml"
chmod -R a+rX "$LAB/serve"; chown 65532:65532 "$LAB/serve-state"
serve_run=("${common[@]}" --user 65532 --network host -e KUBERNETES_MASTER="$API_URL" -v "$LAB/config:/etc/stasis/config:ro"
           -v "$LAB/trust:/etc/stasis/trust:ro" -v "$LAB/kubelet:/etc/stasis/kubelet:ro" -v "$LAB/serve:/etc/stasis/serve:ro"
           -v "$LAB/serve-state:/var/lib/stasis")
cmd=("${serve_run[@]}" "$IMAGE")
step "serve with a broken executor (its token file missing)" "$LAB/serve-broken.out" serve -c /etc/stasis/serve/broken.yaml
rc=$?
check "refused at start (exit $rc), one line naming the file and the key" \
  sh -c "[ $rc != 0 ] && [ \$(wc -l < '$LAB/serve-broken.out.err') = 1 ] && grep -q '^stasis: /etc/stasis/serve/broken.yaml: executor.tokenFile: cannot read /etc/stasis/serve/no-such-token' '$LAB/serve-broken.out.err'"

SERVE=stasis-steps-serve
start_serve() {
  podman rm -f -t 0 $SERVE >/dev/null 2>&1
  echo "\$ ${serve_run[*]/#--rm/--rm} -d --name $SERVE $IMAGE serve -c /etc/stasis/serve/stasis.yaml"
  "${serve_run[@]}" -d --name $SERVE "$IMAGE" serve -c /etc/stasis/serve/stasis.yaml >/dev/null
  for i in $(seq 1 240); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "   serve did not become ready: $(podman logs $SERVE 2>&1 | tail -3)"; return 1
}
post() { # ALERT.json: prints the status; the answer ({"id","outcome"}) is appended to serve-202.jsonl
  curl -sS -o "$LAB/post.out" -w '%{http_code}' -H "Authorization: Bearer $(cat "$LAB/serve/alert-token")" -H 'Content-Type: application/json' \
    --data-binary @"$1" "http://127.0.0.1:$port/alerts"
  { cat "$LAB/post.out"; echo; } >> "$LAB/serve-202.jsonl"
}
workflows() { curl -fsS --cacert "$LAB/trust/ca.crt" -H "Authorization: Bearer $ARGO_TOKEN" \
  "$ARGO_URL/api/v1/workflows/stasis-agent?listOptions.labelSelector=stasis.dev/alert" 2>/dev/null; }
count_workflows() { workflows | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"] or []))'; }
trap 'podman rm -f -t 0 $SERVE >/dev/null 2>&1; cleanup' EXIT
podman rm -f -t 0 $SERVE >/dev/null 2>&1
echo; echo "== serve with executor argo"
start_serve
sed "s/\"$POD\"/\"api-55d8\"/" "$LAB/in/alert.json" > "$LAB/in/other.json"
codes="$(post "$LAB/in/alert.json") $(post "$LAB/in/alert.json") $(post "$LAB/in/other.json")"
echo "   POST /alerts x3 (two about $NS/$POD, one about $NS/api-55d8): $codes"
check "each alert acknowledged (202)" [ "$codes" = "202 202 202" ]
for i in $(seq 1 60); do [ "$(count_workflows)" = 2 ] && break; sleep 0.5; done
echo "   Argo's workflows: $(workflows | python3 -c 'import json,sys; print(", ".join(w["metadata"]["name"] for w in json.load(sys.stdin)["items"] or []))')"
one_per_queued_alert() { # the workflows are exactly those of the alerts answered "queued"
  [ "$(count_workflows)" = 2 ] || return 1
  local id
  for id in $(python3 -c 'import json,sys; [print(json.loads(l)["id"]) for l in open(sys.argv[1]) if l.strip() and json.loads(l)["outcome"]=="queued"]' "$LAB/serve-202.jsonl"); do
    workflows | grep -q "stasis-respond-$id-" || return 1
  done
}
check "two workflows: one per container and cool-down, each labelled with an acknowledged (queued) alert's id" one_per_queued_alert
check "the engine logged each submission with the workflow's name (action.ok, action argo)" \
  sh -c "[ \$(podman logs $SERVE 2>&1 | grep '\"action.ok\"' | grep '\"action\":\"argo\"' | grep -c 'stasis-respond-') = 2 ]"
check "its metrics count them (stasis_actions_total type argo, result ok)" \
  sh -c "curl -fsS http://127.0.0.1:$port/metrics | grep 'stasis_actions_total' | grep 'type=\"argo\"' | grep 'result=\"ok\"' | grep -q ' 2'"
echo "   restart: kill -9 of the engine's JVM (podman kill -s KILL), then the same journal"
podman kill -s KILL $SERVE >/dev/null 2>&1; podman rm -f -t 0 $SERVE >/dev/null 2>&1
start_serve
codes="$(post "$LAB/in/alert.json")"
sleep 2
after_restart() { [ "$(count_workflows)" = 2 ] && [ "$codes" = 202 ] && tail -1 "$LAB/serve-202.jsonl" | grep -q '"deduplicated"'; }
check "after the restart, nothing submitted again (2 workflows), the container still in its cool-down (202, deduplicated)" after_restart
podman rm -f -t 0 $SERVE >/dev/null 2>&1

echo
echo "kubelet stand-in: $(grep -c 'podman container checkpoint' "$LAB/lab-cluster.log") real checkpoint(s) of $VICTIM"
echo "steps-in-image: $pass checks passed, $fail failed (image $IMAGE, load average $(cut -d' ' -f1 /proc/loadavg))"
[ "$fail" = 0 ]
