#!/usr/bin/env bash
# seed-gitops.sh DIR: creates the embedded GitOps repository at DIR when it
# does not exist yet: the blueprint (templates/gitops-repository) plus the
# example environments in examples/gitops, rendered by the gitops CLI and
# committed on `main`. An existing repository is left untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
dir="$1"
if [ -d "$dir/.git" ]; then
  exit 0
fi
rm -rf "$dir"
yarn gitops init --out "$dir" >/dev/null
for spec in examples/gitops/*.yaml; do
  yarn gitops render --spec "$spec" --out "$dir" >/dev/null
done
git -C "$dir" init -q -b main
git -C "$dir" add -A
git -C "$dir" -c user.name=Epicshelter -c user.email=epicshelter@localhost \
  commit -qm "Bootstrap the GitOps repository with the example environments"
echo "[epicshelter] seeded GitOps repository at $dir"
