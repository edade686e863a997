/**
 * Backend of the crossplane plugin (plugin id `epicshelter-crossplane`,
 * config keys `crossplane.*`).
 *
 * @packageDocumentation
 */

export { crossplanePlugin as default } from './plugin';
