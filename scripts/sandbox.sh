#!/usr/bin/env bash
# ./epicshelter sandbox: the portal (frontend :3000, backend :7007) against
# the fake Argo CD and Kubernetes APIs, with sandbox banners on their pages.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/fakes.sh
trap stop_fakes EXIT
bash scripts/seed-gitops.sh .data/gitops-repository
start_fakes .data/gitops-repository
echo "[epicshelter] fakes up: Argo CD on :8090 (instances local, cloud), Kubernetes on :7080"
node "$EPICSHELTER_YARN" start --config ../../app-config.yaml --config ../../app-config.sandbox.yaml
