#!/usr/bin/env bash
# The whole test suite, stage by stage. Every stage runs even when an earlier
# one failed, so one run shows everything that is wrong; the exit code is
# non-zero when any stage failed. Each stage prints its time; the last line
# is the plain `total: N passed, N failed, N skipped` summary.
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
export CI=true

results_dir=.data/test-results
rm -rf "$results_dir"
mkdir -p "$results_dir"
failed_stages=()

run_stage() {
  local name="$1"
  shift
  stage "$name"
  if "$@"; then
    echo "[epicshelter] stage '$name' passed"
    echo "$name: 1 passed, 0 failed" >>"$results_dir/stages.txt"
  else
    echo "[epicshelter] stage '$name' FAILED"
    echo "$name: 0 passed, 1 failed" >>"$results_dir/stages.txt"
    failed_stages+=("$name")
  fi
}

# mkdocs builds the TechDocs sites: the docs-sites unit test and the e2e use it.
bash scripts/install-mkdocs.sh || echo "[epicshelter] mkdocs is missing: TechDocs builds will fail"

run_stage typecheck yarn tsc
run_stage api-reports bash scripts/api-reports.sh
run_stage lint yarn backstage-cli repo lint
run_stage prettier yarn prettier --check .
run_stage catalog-info node scripts/check-catalog-info.js
run_stage readme-images node scripts/adopter/check-readme-images.js
run_stage unit-tests bash scripts/unit-tests.sh "$results_dir/jest.json"
run_stage build bash -c 'source scripts/env.sh && yarn workspace backend build'
run_stage postgres bash scripts/postgres-check.sh
run_stage e2e bash scripts/e2e.sh "$results_dir/playwright.json"
# A fresh create-app app gets the packed plugins and their READMEs' install steps.
run_stage adopter bash scripts/adopter-test.sh
stage done

node scripts/summarize-results.js "$results_dir"
if [ "${#failed_stages[@]}" -gt 0 ]; then
  echo "[epicshelter] failed stages: ${failed_stages[*]}"
  exit 1
fi
