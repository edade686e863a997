#!/usr/bin/env bash
# README screenshots, reproducibly from the sandbox: builds the portal (skip
# with --no-build), seeds a GitOps repository of its own
# (.data/screenshots-gitops-repository), starts the fakes and the built
# backend as scripts/e2e.sh does, and runs e2e/screenshots.ts (its own
# Playwright config, e2e/screenshots.config.ts: not part of the e2e stage) in
# Debian's Chromium at 1280x800. The pictures are written to
# plugins/<pkg>/docs/images/ and shrunk with Debian's pngquant.
# `scripts/screenshots.sh [--no-build] [-g <title>]`: further arguments go to Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/fakes.sh

build=yes
if [ "${1:-}" = --no-build ]; then
  build=no
  shift
fi
for tool in chromium pngquant; do
  if ! command -v "$tool" >/dev/null; then
    echo "[screenshots] installing Debian's $tool"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done

bash scripts/ports-free.sh 7007 8090 7080
if [ "$build" = yes ]; then
  echo "[screenshots] building the app and the backend bundle"
  yarn workspace backend build >/dev/null
fi
dist="$(bash scripts/dist-backend.sh)"
log=.data/screenshots-backend.log
backend_pid=""
cleanup() {
  stop_fakes
  if [ -n "$backend_pid" ]; then
    kill -- -"$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
repo=.data/screenshots-gitops-repository
rm -rf "$repo"
bash scripts/seed-gitops.sh "$repo"
# The default sandbox scenario: the seeded dev and staging environments.
start_fakes "$repo"

# app-config.yaml and the sandbox's, with the built app served by the
# backend, this run's repository, and the catalog reading it every 5 s.
(cd packages/backend &&
  APP_CONFIG_app_baseUrl=http://localhost:7007 \
  APP_CONFIG_backend_cors_origin=http://localhost:7007 \
  APP_CONFIG_gitops_repository="../../$repo" \
  APP_CONFIG_catalog_providers_epicshelterGitops_schedule='{"frequency":{"seconds":5},"timeout":{"minutes":1}}' \
  exec setsid node "$dist/packages/backend" \
  --config ../../app-config.yaml --config ../../app-config.sandbox.yaml) >"$log" 2>&1 &
backend_pid=$!
if ! bash scripts/wait-ready.sh http://localhost:7007/.backstage/health/v1/readiness 180 "$backend_pid"; then
  tail -40 "$log"
  exit 1
fi

yarn playwright test -c e2e/screenshots.config.ts "$@"

shopt -s nullglob
for png in plugins/*/docs/images/*.png; do
  # 256 colours are plenty for the portal's flat UI. pngquant exits 98 when
  # the result would be larger and 99 below the quality floor: the file is
  # then kept as it is.
  rc=0
  pngquant --force --skip-if-larger --strip --quality 60-90 --output "$png" -- "$png" || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 98 ] && [ "$rc" -ne 99 ]; then
    echo "[screenshots] pngquant failed on $png (exit $rc)" >&2
    exit 1
  fi
  echo "[screenshots] $png ($(($(stat -c %s "$png") / 1024)) KiB)"
done
# Every picture the READMEs and user guides show exists and is packed.
node scripts/adopter/check-readme-images.js
