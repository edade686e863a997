import type {
  ArgoCdApplication,
  ArgoCdApplicationSet,
} from '@epicshelter/plugin-argocd-common';
import { buildApplication } from './data';
import { startFakeArgoCd } from './server';
import { argoCdSwagger, readReferenceYaml } from './swagger';

/** The recorded Application of Argo CD's test data, as its API sends it (no apiVersion/kind). */
function recorded(): ArgoCdApplication {
  const {
    apiVersion: _a,
    kind: _k,
    ...app
  } = readReferenceYaml('recorded/argocd-application-full-status.yaml');
  return app;
}

const failingSet: ArgoCdApplicationSet = {
  metadata: { name: 'velero', namespace: 'argo-cd' },
  spec: { generators: [{ list: { elements: [] } }] },
  status: {
    conditions: [
      {
        type: 'ErrorOccurred',
        status: 'True',
        reason: 'ApplicationGenerationFromParamsError',
        message: 'failed to execute go template',
        lastTransitionTime: '2026-12-02T07:59:00Z',
      },
    ],
  },
};

describe('fake Argo CD serving objects a test gives it', () => {
  it('refuses an object Argo CD could not send, naming it and the problem', async () => {
    const invented = {
      ...buildApplication({
        name: 'x',
        labels: {},
        path: 'x',
        destinationNamespace: 'x',
        project: 'default',
        applicationSet: 'x',
        layer: 'component',
      }),
      invented: true,
    } as ArgoCdApplication;
    await expect(
      startFakeArgoCd({
        instances: [{ name: 'one', applications: [invented] }],
      }),
    ).rejects.toThrow(
      /^Application 0 \(x\) given to fake instance "one" is not a valid Argo CD v1alpha1Application: data must NOT have additional properties/,
    );
  });

  it('serves them as Argo CD would, in their namespace, with injected errors and recorded bodies', async () => {
    const fake = await startFakeArgoCd({
      instances: [
        {
          name: 'one',
          applications: [recorded()],
          applicationSets: [failingSet],
        },
      ],
      staticTokens: ['t'],
    });
    const { operationFor, errorsOf } = argoCdSwagger();
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${fake.url('one')}${path}`, {
        method,
        headers: {
          authorization: 'Bearer t',
          'content-type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await res.json();
      const { op } = operationFor(method, path.split('?')[0]);
      const schema = (op.responses[String(res.status)] ?? op.responses.default)
        .schema;
      expect(errorsOf(schema.$ref, json)).toBeUndefined();
      return { status: res.status, json };
    };
    try {
      // Without appNamespace Argo CD looks in its own namespace (argocd).
      expect(
        (await call('GET', '/api/v1/applications/velero-test')).status,
      ).toBe(404);
      const app = await call(
        'GET',
        '/api/v1/applications/velero-test?appNamespace=argo-cd',
      );
      expect(app.json.metadata.namespace).toBe('argo-cd');
      const set = await call(
        'GET',
        '/api/v1/applicationsets/velero?appsetNamespace=argo-cd',
      );
      expect(set.json.status.conditions[0].type).toBe('ErrorOccurred');

      // Sync takes appNamespace from its body, and the body is recorded.
      const synced = await call(
        'POST',
        '/api/v1/applications/velero-test/sync',
        {
          name: 'velero-test',
          appNamespace: 'argo-cd',
          dryRun: true,
        },
      );
      expect(synced.json.operation.sync.dryRun).toBe(true);
      expect(fake.requests.at(-1)?.body).toEqual({
        name: 'velero-test',
        appNamespace: 'argo-cd',
        dryRun: true,
      });

      const stop = fake.failWith('one', {
        method: 'GET',
        path: '/api/v1/applications',
        status: 403,
        body: { error: { code: 7, message: 'permission denied' } },
      });
      const denied = await fetch(`${fake.url('one')}/api/v1/applications`, {
        headers: { authorization: 'Bearer t' },
      });
      expect([denied.status, await denied.json()]).toEqual([
        403,
        { error: { code: 7, message: 'permission denied' } },
      ]);
      stop();
      expect((await call('GET', '/api/v1/applications')).status).toBe(200);
    } finally {
      await fake.stop();
    }
  });
});
