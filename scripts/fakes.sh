# shellcheck shell=bash
# Sourced: `start_fakes DIR` starts the fake Argo CD (:8090), deploying the
# real commits of the GitOps repository DIR (dev at the head of main, staging
# one commit behind; DIR must exist: run scripts/seed-gitops.sh DIR first)
# and generating the two applications of every other environment of DIR as
# the blueprint's ApplicationSets would, and the fake Kubernetes API (:7080)
# serving what a cluster syncing DIR holds (XRs, managed resources,
# Deployments, Pods), in their own process groups, and waits
# until both answer; stop_fakes stops them. Logs go to .data/fake-*.log.
# `start_fakes DIR SCENARIO` also serves the fakes' named scenario (e.g.
# `states`: real-world Argo CD and Crossplane failure states, see
# packages/fake-*/src/scenarios).
fake_pids=()
start_fakes() {
  local repo="${1:?start_fakes needs the GitOps repository directory}"
  if [ ! -d "$repo/.git" ]; then
    echo "[epicshelter] start_fakes: $repo is not a git repository (run scripts/seed-gitops.sh $repo first)" >&2
    return 1
  fi
  mkdir -p .data
  local transform=node_modules/@backstage/cli/config/nodeTransform.cjs
  local scenario=()
  if [ -n "${2:-}" ]; then scenario=(--scenario "$2"); fi
  # The applications name the repository local:<folder>, not its path here.
  setsid node --require "./$transform" packages/fake-argocd/src/cli.ts --port 8090 \
    --gitops-repo "$(cd "$repo" && pwd)" --gitops-repo-url "local:$(basename "$repo")" \
    "${scenario[@]}" >.data/fake-argocd.log 2>&1 &
  fake_pids+=($!)
  setsid node --require "./$transform" packages/fake-kubernetes/src/cli.ts --port 7080 \
    --gitops-repo "$(cd "$repo" && pwd)" "${scenario[@]}" >.data/fake-kubernetes.log 2>&1 &
  fake_pids+=($!)
  bash scripts/wait-ready.sh http://127.0.0.1:8090/local/api/v1/applications 60 "${fake_pids[0]}" any ||
    { tail -5 .data/fake-argocd.log >&2; return 1; }
  bash scripts/wait-ready.sh http://127.0.0.1:7080/version 60 "${fake_pids[1]}" ||
    { tail -5 .data/fake-kubernetes.log >&2; return 1; }
}
stop_fakes() {
  local pid
  for pid in "${fake_pids[@]}"; do kill -- -"$pid" 2>/dev/null || true; done
  fake_pids=()
}
