#!/usr/bin/env bash
# seed-gitops.sh DIR: creates the embedded GitOps repository at DIR when it
# does not exist yet, on `main`: one commit with the blueprint
# (templates/gitops-repository), then one commit per example environment in
# examples/gitops rendered by the gitops CLI, `dev` last. The sandbox's fake
# Argo CD deploys dev at the head and staging one commit behind, so the
# environment pages show a real "in sync" and "behind by 1".
# An existing repository is left untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
dir="$1"
if [ -d "$dir/.git" ]; then
  exit 0
fi
rm -rf "$dir"
commit() {
  git -C "$dir" add -A
  git -C "$dir" -c user.name=Epicshelter -c user.email=epicshelter@localhost \
    commit -qm "$1"
}
yarn gitops init --out "$dir" >/dev/null
git -C "$dir" init -q -b main
commit "Bootstrap the GitOps repository from the blueprint"
specs=()
for spec in examples/gitops/*.yaml; do
  [ "$(basename "$spec")" = dev.yaml ] || specs+=("$spec")
done
[ -f examples/gitops/dev.yaml ] && specs+=(examples/gitops/dev.yaml)
for spec in "${specs[@]}"; do
  yarn gitops render --spec "$spec" --out "$dir" >/dev/null
  commit "Add environment $(basename "$spec" .yaml)"
done
echo "[epicshelter] seeded GitOps repository at $dir ($(git -C "$dir" rev-list --count main) commits)"
