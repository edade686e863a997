/**
 * Benchmark harness for the GitOps generator and validator
 * (`yarn bench:gitops [N]`); the script is `scripts/bench-gitops.ts`. Kept out
 * of the plugin packages so plugins carry no benchmark scripts; the package
 * exports nothing.
 *
 * @packageDocumentation
 */
export {};
