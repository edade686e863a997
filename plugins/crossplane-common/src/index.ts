/**
 * Types, permissions, annotations and pure logic shared by the crossplane
 * frontend and backend plugins.
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './pluginId';
export * from './annotations';
export * from './types';
export * from './conditions';
export * from './status';
export * from './redact';
export * from './compare';
export * from './live';
