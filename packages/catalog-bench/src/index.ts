/**
 * Benchmark harness for the GitOps catalog entity provider
 * (`yarn bench:catalog`); the script is `scripts/bench-catalog.ts`. Kept out of
 * the plugin packages so plugins carry no benchmark scripts; the package
 * exports nothing.
 *
 * @packageDocumentation
 */
export {};
