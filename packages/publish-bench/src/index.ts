/**
 * Benchmark harness for the `epicshelter:gitops:publish` action
 * (`yarn bench:publish`); the script is `scripts/bench-publish.ts`. Kept out
 * of the plugin packages so the GitHub publish action of
 * `@backstage/plugin-scaffolder-backend-module-github` it compares against
 * is a dependency of this private package only; the package exports nothing.
 *
 * @packageDocumentation
 */
export {};
