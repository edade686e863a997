/**
 * Backend of the crossplane plugin.
 *
 * @packageDocumentation
 */

export { crossplanePlugin as default } from './plugin';
