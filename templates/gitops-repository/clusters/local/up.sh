#!/usr/bin/env bash
# Brings up the local development cluster: kind + Argo CD, then hands over to
# Git (the root applications install Crossplane, the platform API and every
# environment). Needs kind and kubectl on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cluster="${CLUSTER_NAME:-epicshelter}"

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

echo "Creating the root applications..."
kubectl apply -k "$here/root"

echo "Done. Cloud providers read credentials from Secrets in crossplane-system"
echo "(aws-credentials, gcp-credentials, azure-credentials, key 'credentials');"
echo "create them with kubectl if you use cloud environments."
