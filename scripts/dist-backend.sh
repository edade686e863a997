#!/usr/bin/env bash
# Unpacks the built backend bundle (packages/backend/dist/bundle.tar.gz, made
# by `yarn workspace backend build`) into .data/dist-backend and gives it a
# node_modules that reuses the repository's installed dependencies, with the
# workspace packages pointing at their built copies inside the bundle.
# Prints the directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
dist="$root/.data/dist-backend"
bundle="$root/packages/backend/dist/bundle.tar.gz"
[ -f "$bundle" ] || { echo "no $bundle: run 'yarn workspace backend build' first" >&2; exit 1; }

rm -rf "$dist"
mkdir -p "$dist/node_modules"
tar xzf "$bundle" -C "$dist"

# Workspace packages in the bundle, by package name.
declare -A local_pkgs=()
while IFS= read -r pj; do
  name=$(node -p "require('$pj').name")
  local_pkgs["$name"]="$(dirname "$pj")"
done < <(find "$dist/packages" "$dist/plugins" -maxdepth 2 -name package.json 2>/dev/null)

link_entry() { # $1 = name under node_modules (may be scoped)
  local name="$1"
  if [ -n "${local_pkgs[$name]:-}" ]; then
    ln -s "${local_pkgs[$name]}" "$dist/node_modules/$name"
  elif [ -L "$root/node_modules/$name" ]; then
    : # a workspace package the backend does not depend on: left out
  else
    ln -s "$root/node_modules/$name" "$dist/node_modules/$name"
  fi
}

for entry in "$root"/node_modules/* "$root"/node_modules/.bin; do
  base=$(basename "$entry")
  if [[ "$base" == @* ]]; then
    mkdir -p "$dist/node_modules/$base"
    for scoped in "$entry"/*; do
      link_entry "$base/$(basename "$scoped")"
    done
  else
    link_entry "$base"
  fi
done
# Workspace packages that are not hoisted keep their own node_modules.
for pkg in "${local_pkgs[@]}"; do
  rel="${pkg#"$dist"/}"
  if [ -d "$root/$rel/node_modules" ] && [ ! -e "$pkg/node_modules" ]; then
    ln -s "$root/$rel/node_modules" "$pkg/node_modules"
  fi
done
echo "$dist"
