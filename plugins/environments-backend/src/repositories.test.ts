import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import environmentsPlugin from './index';

describe('GET /repositories (the bootstrap template pick list)', () => {
  async function start(gitops: {
    repository: string;
    allowedRepositories?: string[];
  }) {
    const { server } = await startTestBackend({
      features: [
        environmentsPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({ data: { gitops } }),
      ],
    });
    return server;
  }

  it('lists gitops.repository and the local gitops.allowedRepositories once each, by configuration key and folder name, without their server paths', async () => {
    const server = await start({
      repository: '../../.data/gitops-repository',
      allowedRepositories: [
        '/srv/gitops/new-gitops',
        'https://github.com/acme/gitops',
        'github.com?owner=acme&repo=other',
        '/srv/gitops/new-gitops/',
        'file:///srv/gitops/sandbox',
      ],
    });
    const res = await request(server)
      .get('/api/environments/repositories')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          ref: 'gitops.repository',
          title: 'gitops-repository',
          configured: true,
        },
        {
          ref: 'gitops.allowedRepositories[0]',
          title: 'new-gitops',
          configured: false,
        },
        {
          ref: 'gitops.allowedRepositories[4]',
          title: 'sandbox',
          configured: false,
        },
      ],
    });
    expect(res.text).not.toContain('/srv/');
    expect(res.text).not.toContain(path.resolve('../../.data'));
  });

  it('answers users only, not other services', async () => {
    const server = await start({ repository: '/srv/gitops/main' });
    const service = await request(server)
      .get('/api/environments/repositories')
      .set('authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
  });

  it('lists nothing for a hosted gitops.repository without allowed repositories', async () => {
    const server = await start({
      repository: 'https://github.com/acme/gitops',
    });
    const res = await request(server)
      .get('/api/environments/repositories')
      .set('authorization', mockCredentials.user.header());
    expect(res.body).toEqual({ items: [] });
  });
});
