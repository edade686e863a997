import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import {
  DecommissionLifecycleInput,
  computeDecommissionLifecycle,
} from '@epicshelter/plugin-environments-common';
import { EnvironmentsBackendProtectionCheck } from './decommissionProtection';

const server = setupServer();
registerMswTestHooks(server);

const reading: DecommissionLifecycleInput = {
  environment: 'qa',
  changeBranch: 'epicshelter/qa',
  defaultBranch: 'main',
  inRepository: true,
  applications: [],
  resources: [],
  orphaned: [],
  entityPresent: true,
  now: '2026-12-06T10:00:00Z',
};

describe('EnvironmentsBackendProtectionCheck', () => {
  const check = new EnvironmentsBackendProtectionCheck({
    discovery: mockServices.discovery(),
    auth: mockServices.auth({ pluginId: 'scaffolder' }),
  });
  const answer = (status: number, body: unknown) => {
    const tokens: string[] = [];
    server.use(
      http.get(
        'http://localhost:0/api/environments/environments/qa/decommission',
        ({ request }) => {
          tokens.push(request.headers.get('authorization') ?? '');
          return HttpResponse.json(body as object, { status });
        },
      ),
    );
    return tokens;
  };
  const ask = () =>
    check.check({
      environment: 'qa',
      credentials: mockCredentials.user('user:default/ada'),
    });

  it.each([
    ['done', true],
    ['pending', false],
  ] as const)(
    'reads the protect step (%s) on behalf of the requester',
    async (state, live) => {
      const tokens = answer(
        200,
        computeDecommissionLifecycle({
          ...reading,
          protection: {
            id: 'protected',
            title: 'Kept resources protected',
            state,
            message: `protection ${state}`,
          },
        }),
      );
      expect(await ask()).toEqual({ live, message: `protection ${state}` });
      expect(tokens).toHaveLength(1);
      expect(tokens[0]).toContain('"obo":"user:default/ada"');
      expect(tokens[0]).toContain('"target":"environments"');
    },
  );

  it('is not live without a protect step or without an answer', async () => {
    answer(200, computeDecommissionLifecycle(reading));
    expect(await ask()).toEqual({
      live: false,
      message: 'the decommission shows no protect step',
    });
    answer(404, { error: { name: 'NotFoundError', message: 'no' } });
    expect(await ask()).toEqual({
      live: false,
      message: 'the environments backend answered 404',
    });
  });
});
