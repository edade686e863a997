#!/usr/bin/env bash
# All Jest suites of the repository through backstage-cli, with a JSON report
# that summarize-results.js turns into a plain pass/fail line.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
out="$1"
CI=true yarn backstage-cli repo test --json --outputFile="$out"
status=$?
node -e '
const r = require(require("path").resolve(process.argv[1]));
console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests || 0)} skipped`);
' "$out" || true
exit $status
