#!/usr/bin/env bash
# Checks that the public API of every plugin package matches its committed
# report*.api.md (backstage-repo-tools api-reports). Needs the declarations
# `yarn tsc` writes into dist-types.
#   bash scripts/api-reports.sh            check (the test command's stage)
#   bash scripts/api-reports.sh --update   regenerate the reports
# api-extractor prints some inferred union types in the order TypeScript
# created their members, which differs between an incremental working tree
# and a fresh build; the check therefore compares reports with the members
# of each multi-line union sorted (scripts/compare-api-reports.js). Any other
# difference fails, and the tree is left as it was.
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
generate() {
  yarn backstage-repo-tools api-reports \
    -o ae-wrong-input-file-type,ae-undocumented --validate-release-tags "${packages[@]}"
}
if [ "${1:-}" = "--update" ]; then
  generate
  exit 0
fi
committed="$(mktemp -d)"
trap 'rm -rf "$committed"' EXIT
for p in "${packages[@]}"; do
  mkdir -p "$committed/$p"
  cp "$p"/report*.api.md "$committed/$p/" 2>/dev/null || true
done
status=0
generate || status=$?
node scripts/compare-api-reports.js "$committed" "${packages[@]}" || status=1
# Put the committed reports back so that a check never changes the tree.
for p in "${packages[@]}"; do
  rm -f "$p"/report*.api.md
  cp "$committed/$p"/report*.api.md "$p/" 2>/dev/null || true
done
exit $status
