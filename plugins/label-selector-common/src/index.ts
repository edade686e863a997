/**
 * Kubernetes label selector parsing and matching, for the browser and Node.js.
 *
 * @packageDocumentation
 */
export * from './labelSelector';
