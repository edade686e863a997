#!/usr/bin/env bash
# run-backend.sh ROOT WORK APP: seeds a GitOps repository, starts the
# repository's fakes and the fresh app's backend on ports of their own (the
# sandbox and the e2e keep theirs), and checks the Epicshelter routes over
# HTTP (scripts/adopter/check-routes.js), runs the Create environment
# template end to end through the REST API (scripts/adopter/run-template.js),
# and in Chromium checks the entity tabs and runs the template again through
# its form (scripts/adopter/check-tabs.js). Stops everything on exit.
set -euo pipefail
root="$1" work="$2" app="$3"
argocd_port=18090 kubernetes_port=17080 backend_port=17007
cd "$root"
if [ ! -x /usr/bin/chromium ]; then
  echo "[adopter] installing Debian's chromium for the browser check"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
bash scripts/ports-free.sh "$argocd_port" "$kubernetes_port" "$backend_port"
repo="$work/gitops-repository"
rm -rf "$repo"
bash scripts/seed-gitops.sh "$repo" >/dev/null

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -- -"$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
transform=node_modules/@backstage/cli/config/nodeTransform.cjs
setsid node --require "./$transform" packages/fake-argocd/src/cli.ts --port "$argocd_port" \
  --gitops-repo "$repo" --gitops-repo-url "local:$(basename "$repo")" >"$work/fake-argocd.log" 2>&1 &
pids+=($!)
setsid node --require "./$transform" packages/fake-kubernetes/src/cli.ts --port "$kubernetes_port" \
  --gitops-repo "$repo" >"$work/fake-kubernetes.log" 2>&1 &
pids+=($!)
bash scripts/wait-ready.sh "http://127.0.0.1:$argocd_port/local/api/v1/applications" 60 "${pids[0]}" any ||
  { tail -5 "$work/fake-argocd.log" >&2; exit 1; }
bash scripts/wait-ready.sh "http://127.0.0.1:$kubernetes_port/version" 60 "${pids[1]}" ||
  { tail -5 "$work/fake-kubernetes.log" >&2; exit 1; }

node scripts/adopter/adopter-config.js "http://127.0.0.1:$argocd_port" \
  "http://127.0.0.1:$kubernetes_port" "$repo" >"$app/app-config.epicshelter.yaml"
# Not adopter lines: this test's ports, and the stock guest sign-in (which
# create-app enables for development) outside `yarn start`, as the example
# user guest of create-app's examples/org.yaml (a member of `guests`, which
# the Create environment form's owner picker then offers).
cat >"$app/app-config.test.yaml" <<YAML
app:
  baseUrl: http://localhost:$backend_port
backend:
  baseUrl: http://localhost:$backend_port
  listen:
    port: $backend_port
auth:
  providers:
    guest:
      dangerouslyAllowOutsideDevelopment: true
      userEntityRef: user:default/guest
YAML

(cd "$app/packages/backend" && exec setsid node --require "$app/node_modules/@backstage/cli/config/nodeTransform.cjs" \
  src/index.ts --config ../../app-config.yaml --config ../../app-config.epicshelter.yaml \
  --config ../../app-config.test.yaml) >"$work/backend.log" 2>&1 &
pids+=($!)
if ! bash scripts/wait-ready.sh "http://localhost:$backend_port/.backstage/health/v1/readiness" 240 "${pids[2]}"; then
  tail -40 "$work/backend.log" >&2
  exit 1
fi
node scripts/adopter/check-routes.js "http://localhost:$backend_port" ||
  { tail -40 "$work/backend.log" >&2; exit 1; }
node scripts/adopter/run-template.js "http://localhost:$backend_port" "$repo" adopter-env ||
  { tail -40 "$work/backend.log" >&2; exit 1; }
ADOPTER_SCREENSHOTS="$work" node scripts/adopter/check-tabs.js "http://localhost:$backend_port" "$repo"
