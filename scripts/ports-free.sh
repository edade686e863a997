#!/usr/bin/env bash
# ports-free.sh PORT...: fails, naming the port, when something on this
# machine already listens on one of them (a portal or fake left running),
# so a test never talks to a process it did not start.
set -uo pipefail
busy=0
for port in "$@"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "[epicshelter] port $port is already in use on 127.0.0.1; stop what listens there (e.g. a running portal or sandbox) and run again" >&2
    busy=1
  fi
done
exit $busy
