import { MockFetchApi } from '@backstage/test-utils';
import { mockApis } from '@backstage/frontend-test-utils';
import { ArgoCdClient, argoCdApiRef } from '../api/ArgoCdApi';

/** Base URL of the Argo CD backend in tests (msw answers it). */
export const TEST_BACKEND = 'http://backstage.test/api/epicshelter-argocd';

/** The Argo CD API of the tests: the real client, against {@link TEST_BACKEND}. */
export const argoCdTestApi = () =>
  [
    argoCdApiRef,
    new ArgoCdClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
      fetchApi: new MockFetchApi(),
    }),
  ] as const;
