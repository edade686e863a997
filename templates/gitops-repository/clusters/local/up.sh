#!/usr/bin/env bash
# Brings up a local cluster: kind + Argo CD, then hands over to Git (the root
# applications install Crossplane, the platform API and the local
# environments). Needs kind and kubectl on PATH.
#
#   up.sh [--role local|bootstrap|attach]   (or ROLE=...; default local)
#
#   local      local environments only (clusters/local/root)
#   bootstrap  also creates every cloud environment's cluster once and hands
#              it over to its own Argo CD (clusters/bootstrap)
#   attach     also observes every cloud environment's cluster, read only
#              (clusters/attach)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cluster="${CLUSTER_NAME:-epicshelter}"
role="${ROLE:-local}"
while [ $# -gt 0 ]; do
  case "$1" in
    --role) role="${2:-}"; shift 2 ;;
    --role=*) role="${1#--role=}"; shift ;;
    *) echo "error: unknown argument $1 (usage: up.sh [--role local|bootstrap|attach])" >&2; exit 2 ;;
  esac
done
case "$role" in
  local) root="$here/root" ;;
  bootstrap | attach) root="$here/../$role" ;;
  *) echo "error: role must be local, bootstrap or attach (got '$role')" >&2; exit 2 ;;
esac

for tool in kind kubectl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is not installed or not on PATH" >&2
    exit 1
  fi
done

if ! kind get clusters | grep -qx "$cluster"; then
  kind create cluster --name "$cluster" --config "$here/kind-config.yaml"
fi
kubectl config use-context "kind-$cluster"

echo "Installing Argo CD (pinned in argocd/)..."
kubectl apply --server-side -k "$here/argocd"
kubectl wait --for=condition=Established --timeout=120s \
  crd/applications.argoproj.io crd/applicationsets.argoproj.io crd/appprojects.argoproj.io
kubectl -n argocd rollout status deployment/argocd-repo-server --timeout=300s
kubectl -n argocd rollout status deployment/argocd-applicationset-controller --timeout=300s

echo "Creating the root applications (role $role)..."
kubectl apply -k "$root"

if [ "$role" != local ]; then
  echo "Done. Cloud providers read credentials from Secrets in crossplane-system"
  echo "(aws-credentials, gcp-credentials, azure-credentials, key 'credentials');"
  echo "create them with kubectl here, and in each cloud cluster after its bootstrap."
else
  echo "Done."
fi
