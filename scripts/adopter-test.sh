#!/usr/bin/env bash
# Adopter test: proves the Epicshelter plugins install into a stock Backstage
# app. Creates a fresh app with @backstage/create-app (the release matching
# backstage.json) outside the repository, packs this repository's plugin
# packages (yarn pack) and installs the tarballs into it, applies only the
# install steps the plugins' READMEs document (scripts/adopter/apply-readme-steps.js
# prints how many lines an adopter writes), typechecks and builds the app,
# starts its backend against the fakes and checks the plugins' routes over HTTP,
# the Argo CD and Crossplane tabs in Chromium, and the Create environment
# template end to end (REST API and form: commit in the app's local GitOps
# repository, entity in its catalog); see scripts/adopter/run-backend.sh.
# Before and after packing, scripts/adopter/check-readme-images.js checks
# that every picture a README shows is in its package and its tarball.
# ADOPTER_DIR chooses the work directory (default: a new one under /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
source scripts/env.sh
started=$(date +%s)
step() { echo "[adopter] $(($(date +%s) - started))s: $*"; }

create_app_version=0.9.2 # @backstage/create-app of Backstage 1.55 (backend-defaults 0.18.0, cli 0.36.6)
work="${ADOPTER_DIR:-$(mktemp -d /tmp/epicshelter-adopter.XXXXXX)}"
mkdir -p "$work"
tarballs="$work/tarballs"
app="$work/app"
rm -rf "$tarballs" "$app"
mkdir -p "$tarballs" "$work/bin"
step "work directory $work (logs and screenshots; kept when the test fails)"
# create-app checks for a `yarn` executable; the repository's yarn is a shell function.
printf '#!/bin/sh\nexec node "%s" "$@"\n' "$EPICSHELTER_YARN" >"$work/bin/yarn"
chmod +x "$work/bin/yarn"
export PATH="$work/bin:$PATH"

# The packages an adopter installs, and the libraries they depend on.
packages=(argocd argocd-backend argocd-common argocd-node argocd-react
  crossplane crossplane-backend crossplane-common crossplane-react
  environments environments-backend environments-common
  gitops-common gitops-node label-selector-common
  catalog-backend-module-gitops scaffolder-backend-module-gitops)

step "README images: referenced pictures exist and are in each package's files"
node scripts/adopter/check-readme-images.js
step "type declarations (dist-types)"
[ -d dist-types/plugins ] || yarn tsc
step "building and packing ${#packages[@]} plugin packages"
# `yarn pack` rewrites package.json for the pack (backstage-cli prepack) and
# restores it after; a pack of the same package by another process at the
# same time can leave it rewritten, so this one puts back what it found.
mkdir -p "$work/manifests"
for p in "${packages[@]}"; do
  manifest="plugins/$p/package.json"
  cp "$manifest" "$work/manifests/$p.json"
  (cd "plugins/$p" && nice yarn backstage-cli package build >/dev/null &&
    nice yarn pack --out "$tarballs/$p.tgz" >/dev/null) || packed=no
  if ! cmp -s "$manifest" "$work/manifests/$p.json"; then
    echo "[adopter] $manifest was left rewritten by the pack: restored" >&2
    cp "$work/manifests/$p.json" "$manifest"
  fi
  if [ "${packed:-}" = no ]; then
    echo "[adopter] building or packing plugins/$p failed" >&2
    exit 1
  fi
done

node scripts/adopter/check-readme-images.js --packed "$tarballs" "${packages[@]}"

step "creating a fresh app with @backstage/create-app@$create_app_version"
(cd "$work" && BACKSTAGE_APP_NAME=app npx --yes "@backstage/create-app@$create_app_version" --skip-install >"$work/create-app.log" 2>&1) ||
  { tail -20 "$work/create-app.log" >&2; exit 1; }

step "adding the tarballs and applying the READMEs' install steps"
node scripts/adopter/apply-readme-steps.js "$app" "$tarballs" "${packages[@]}"

step "yarn install"
node scripts/adopter/seed-lockfile.js yarn.lock "$app"
# Install scripts are skipped: of the stock app's native modules only
# better-sqlite3 (its default database) runs here. Its build is the
# repository's own when the versions match (same Node), else compiled.
(cd "$app" && YARN_ENABLE_SCRIPTS=false nice yarn install --no-immutable >"$work/install.log" 2>&1) ||
  { tail -30 "$work/install.log" >&2; exit 1; }
sqlite_version() { node -p "require('$1/node_modules/better-sqlite3/package.json').version"; }
if [ -f node_modules/better-sqlite3/build/Release/better_sqlite3.node ] &&
  [ "$(sqlite_version "$root")" = "$(sqlite_version "$app")" ]; then
  cp -r node_modules/better-sqlite3/build "$app/node_modules/better-sqlite3/"
else
  (cd "$app" && nice yarn rebuild better-sqlite3 >>"$work/install.log" 2>&1) ||
    { tail -30 "$work/install.log" >&2; exit 1; }
fi

step "tsc"
(cd "$app" && nice yarn tsc) || { echo "[adopter] the fresh app does not typecheck" >&2; exit 1; }
step "build (app and backend bundle)"
(cd "$app" && nice yarn workspace backend build >"$work/build.log" 2>&1) || { tail -30 "$work/build.log" >&2; exit 1; }

step "starting the fakes and the app's backend"
bash scripts/adopter/run-backend.sh "$root" "$work" "$app"
step "passed in $(($(date +%s) - started))s"
# The app and its node_modules are large: kept only where ADOPTER_DIR asked.
[ -n "${ADOPTER_DIR:-}" ] || rm -rf "$work"
