/**
 * Annotations, API types and pure logic shared by the Epicshelter
 * environments plugins (catalog provider, frontend and backend).
 *
 * @packageDocumentation
 */

export * from './entity';
