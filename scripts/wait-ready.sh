#!/usr/bin/env bash
# wait-ready.sh URL SECONDS PID [any]: waits until URL answers 200 (or, with
# `any`, any HTTP status), or fails when the process PID exits or SECONDS pass.
set -uo pipefail
url="$1"; limit="$2"; pid="$3"; mode="${4:-200}"
for ((i = 0; i < limit; i++)); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
  if [ "$code" = "200" ] || { [ "$mode" = any ] && [ "$code" != "000" ]; }; then
    echo "[epicshelter] $url answered $code after ${i}s"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "[epicshelter] backend exited before $url was ready" >&2
    exit 1
  fi
  sleep 1
done
echo "[epicshelter] $url not ready after ${limit}s (last status $code)" >&2
exit 1
