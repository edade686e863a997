/**
 * Test helpers for the backend modules of the GitOps repository.
 *
 * @packageDocumentation
 */

export { testDatabaseServiceFactory } from './database';
