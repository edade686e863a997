#!/usr/bin/env bash
# Browser end-to-end tests: starts the fake Argo CD and Kubernetes APIs and
# the built backend (which serves the built app) in their own process groups,
# waits for readiness, runs Playwright in Debian's Chromium, and stops them
# all on exit. Screenshots and traces
# are kept in .data/e2e-artifacts, the HTML report in .data/e2e-report.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/fakes.sh
json_out="${1:-.data/e2e-results.json}"

if [ ! -x /usr/bin/chromium ]; then
  echo "[epicshelter] installing Debian's chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# The docs test opens and searches TechDocs sites the backend builds with mkdocs.
bash scripts/install-mkdocs.sh

bash scripts/ports-free.sh 7007 8090 7080
dist="$(bash scripts/dist-backend.sh)"
log=.data/e2e-backend.log
backend_pid=""
cleanup() {
  stop_fakes
  if [ -n "$backend_pid" ]; then
    kill -- -"$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
rm -rf .data/e2e-gitops-repository
bash scripts/seed-gitops.sh .data/e2e-gitops-repository
# The states scenario: failure states the browser test of issue #12 reads.
start_fakes .data/e2e-gitops-repository states

(cd packages/backend && exec setsid node "$dist/packages/backend" \
  --config ../../app-config.yaml --config ../../app-config.sandbox.yaml \
  --config ../../app-config.e2e.yaml) >"$log" 2>&1 &
backend_pid=$!
if ! bash scripts/wait-ready.sh http://localhost:7007/.backstage/health/v1/readiness 180 "$backend_pid"; then
  tail -40 "$log"
  exit 1
fi

PLAYWRIGHT_JSON_OUTPUT="$json_out" yarn playwright test
