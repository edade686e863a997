/**
 * Annotations, API types and pure logic shared by the Epicshelter
 * environments plugins (catalog provider, frontend and backend).
 *
 * @packageDocumentation
 */

export * from './entity';
export * from './lifecycle';
export * from './revisions';
export * from './matrix';
export * from './api';
export * from './status';
export * from './placement';
export * from './expiry';
export * from './openChange';
export * from './commit';
export * from './decommissionLifecycle';
export * from './ownership';
export * from './permissions';
