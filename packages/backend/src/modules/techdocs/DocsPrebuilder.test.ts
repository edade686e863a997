import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DocsPrebuilder } from './DocsPrebuilder';

const techdocs = 'http://localhost:0/api/techdocs';

const documented = (name: string, kind = 'Component'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
  },
  spec: {},
});

describe('DocsPrebuilder', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function prebuilder(entities: Entity[]) {
    return new DocsPrebuilder({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      logger: mockServices.logger.mock(),
    });
  }

  it('builds the sites not published yet through /sync and skips the others', async () => {
    const synced: string[] = [];
    server.use(
      http.get(
        `${techdocs}/static/docs/default/component/built/techdocs_metadata.json`,
        () => HttpResponse.json({ site_name: 'built' }),
      ),
      http.get(`${techdocs}/static/docs/*`, () =>
        HttpResponse.json({ error: 'not found' }, { status: 404 }),
      ),
      http.get(
        `${techdocs}/sync/:namespace/:kind/:name`,
        ({ params, request }) => {
          expect(request.headers.get('authorization')).toMatch(/^Bearer /);
          synced.push(`${params.kind}/${params.name}`);
          return new HttpResponse(
            'event: log\ndata: "building"\n\nevent: finish\ndata: {"updated":true}\n\n',
            { headers: { 'content-type': 'text/event-stream' } },
          );
        },
      ),
    );

    const result = await prebuilder([
      documented('built'),
      documented('fresh'),
      documented('epicshelter', 'System'),
      { ...documented('undocumented'), metadata: { name: 'undocumented' } },
    ]).buildMissing();

    expect(synced).toEqual(['component/fresh', 'system/epicshelter']);
    expect(result).toEqual({
      built: ['Component:default/fresh', 'System:default/epicshelter'],
      failed: [],
    });
  });

  it('reports a site whose build fails, and goes on with the next', async () => {
    server.use(
      http.get(`${techdocs}/static/docs/*`, () =>
        HttpResponse.json({}, { status: 404 }),
      ),
      http.get(
        `${techdocs}/sync/default/component/broken`,
        () =>
          new HttpResponse(
            'event: error\ndata: "Failed to generate docs from /tmp/x"\n\n',
          ),
      ),
      http.get(`${techdocs}/sync/default/component/gone`, () =>
        HttpResponse.json({}, { status: 404 }),
      ),
      http.get(
        `${techdocs}/sync/default/component/fine`,
        () => new HttpResponse('event: finish\ndata: {"updated":true}\n\n'),
      ),
    );
    const logger = mockServices.logger.mock();
    const result = await new DocsPrebuilder({
      catalog: catalogServiceMock({
        entities: [
          documented('broken'),
          documented('gone'),
          documented('fine'),
        ],
      }),
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      logger,
    }).buildMissing();

    expect(result).toEqual({
      built: ['Component:default/fine'],
      failed: ['Component:default/broken', 'Component:default/gone'],
    });
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not build the docs of Component:default/broken: Failed to generate docs from /tmp/x',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not build the docs of Component:default/gone: HTTP 404',
    );
  });

  it('asks only about entities not seen published, and retries a failed build after a while', async () => {
    const calls: string[] = [];
    let failing = true;
    server.use(
      http.get(
        `${techdocs}/static/docs/:namespace/:kind/:name/*`,
        ({ params }) => {
          calls.push(`static ${params.name}`);
          return params.name === 'built'
            ? HttpResponse.json({ site_name: 'built' })
            : HttpResponse.json({}, { status: 404 });
        },
      ),
      http.get(`${techdocs}/sync/:namespace/:kind/:name`, ({ params }) => {
        calls.push(`sync ${params.name}`);
        return new HttpResponse(
          params.name === 'flaky' && failing
            ? 'event: error\ndata: "mkdocs failed"\n\n'
            : 'event: finish\ndata: {"updated":true}\n\n',
        );
      }),
    );
    let clock = 0;
    const subject = new DocsPrebuilder({
      catalog: catalogServiceMock({
        entities: [
          documented('built'),
          documented('fresh'),
          documented('flaky'),
        ],
      }),
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      logger: mockServices.logger.mock(),
      retryFailedAfterMs: 60_000,
      now: () => clock,
    });

    await subject.buildMissing();
    expect(calls).toEqual([
      'static built',
      'static fresh',
      'sync fresh',
      'static flaky',
      'sync flaky',
    ]);

    calls.length = 0;
    clock = 59_999;
    expect(await subject.buildMissing()).toEqual({ built: [], failed: [] });
    expect(calls).toEqual([]);

    failing = false;
    clock = 60_000;
    expect(await subject.buildMissing()).toEqual({
      built: ['Component:default/flaky'],
      failed: [],
    });
    expect(calls).toEqual(['static flaky', 'sync flaky']);
  });
});
