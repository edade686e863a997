/**
 * Benchmark harness for the Crossplane backend (`yarn bench:crossplane`);
 * the script is `scripts/bench-crossplane.ts`. Kept out of the plugin
 * packages so TeraSky's crossplane-resources backend (a benchmark-only
 * dependency, which also claims the plugin id `crossplane`) never enters the
 * portal's dependency graph.
 *
 * @packageDocumentation
 */
export { eventsQuery, p95, v2GraphQuery } from './terasky';
export type { ObjectRef } from './terasky';
