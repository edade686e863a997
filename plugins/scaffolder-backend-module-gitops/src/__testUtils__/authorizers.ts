import type { EnvironmentAuthorizer } from '../authorization/EnvironmentAuthorizer';

/**
 * An authorizer that lets every request through, for tests about rendering
 * and publishing; who may change what is tested through the scaffolder REST
 * API (`authorization.e2e.test.ts`).
 */
export const allowEveryone: EnvironmentAuthorizer = {
  async authorizeEnvironmentChange() {},
  async authorizeEnvironmentCreation() {},
};
