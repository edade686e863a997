import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import { getEnvironmentSpec } from '@epicshelter/plugin-environments-common';
import {
  RepositoryDescription,
  entitiesForEnvironmentFile,
  environmentEntities,
} from './entities';

const repo: RepositoryDescription = {
  kind: 'local',
  location: '/srv/gitops',
  branch: 'main',
  branchPrefix: 'epicshelter/',
  argoCdUrls: [],
};
const spec = parseEnvironmentSpec({
  name: 'preview-42',
  owner: 'group:default/checkout-team',
  target: 'local',
  provider: 'local',
  expiry: { ttl: '4h', expiresAt: '2026-12-06T14:00:00.000Z' },
});

describe('expiry of an environment entity', () => {
  it('is read from environment.yaml into spec.environment.expiry', () => {
    const file =
      generateEnvironment(spec)['environments/preview-42/environment.yaml'];
    const { entities, error } = entitiesForEnvironmentFile(
      'preview-42',
      file,
      repo,
    );
    expect(error).toBeUndefined();
    expect(getEnvironmentSpec(entities[0])?.expiry).toEqual({
      ttl: '4h',
      expiresAt: '2026-12-06T14:00:00.000Z',
    });
  });

  it('is absent for an environment that does not expire', () => {
    const [environment] = environmentEntities(
      { ...spec, expiry: undefined },
      repo,
    );
    expect(getEnvironmentSpec(environment)).not.toHaveProperty('expiry');
  });
});
