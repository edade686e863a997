/**
 * Benchmark harness for the Argo CD backend (`yarn bench:argocd`); the
 * script is `scripts/bench-argocd.ts`. Kept out of the plugin packages so
 * Roadie's backend (a benchmark-only dependency) and its config schema never
 * enter the portal's dependency graph.
 *
 * @packageDocumentation
 */
export { formatNumber, formatTable, percentile } from './stats';
