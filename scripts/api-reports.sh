#!/usr/bin/env bash
# Checks that the public API of the packages adopters install matches the
# committed report.api.md files (backstage-repo-tools api-reports). Needs the
# declarations `yarn tsc` writes into dist-types. Regenerate the reports with
#   bash scripts/api-reports.sh --update
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
packages=(
  plugins/argocd-common
  plugins/argocd-node
  plugins/argocd-backend
  plugins/crossplane-common
  plugins/crossplane-backend
  plugins/crossplane-react
  plugins/crossplane
  plugins/argocd-react
  plugins/argocd
  plugins/label-selector-common
  plugins/gitops-node
  plugins/catalog-backend-module-gitops
  plugins/environments-common
  plugins/environments-backend
  plugins/environments
  plugins/permission-backend-module-policy
  plugins/scaffolder-backend-module-gitops
  plugins/gitops-common
)
mode=(--ci)
if [ "${1:-}" = "--update" ]; then mode=(); fi
yarn backstage-repo-tools api-reports "${mode[@]}" \
  -o ae-wrong-input-file-type,ae-undocumented --validate-release-tags "${packages[@]}"
