import { startFakeArgoCd } from '../server';
import { scenarioInstances } from '.';

describe('scenarioInstances', () => {
  it('refuses an unknown scenario, naming the known ones', () => {
    expect(() => scenarioInstances('states,nope')).toThrow(
      'Unknown fake Argo CD scenario "nope"; known scenarios: states',
    );
    expect(scenarioInstances('')).toEqual([]);
  });

  it('serves the states next to the generated instances, valid against the swagger, in their namespace', async () => {
    // startFakeArgoCd validates every given object against Argo CD's swagger
    const fake = await startFakeArgoCd({
      instances: ['local', 'cloud', ...scenarioInstances('states')],
      staticTokens: ['t'],
    });
    try {
      expect(fake.instanceNames).toEqual(['local', 'cloud', 'platform']);
      const get = async (path: string) => {
        const res = await fetch(`${fake.url('platform')}${path}`, {
          headers: { authorization: 'Bearer t' },
        });
        return { status: res.status, body: await res.json() };
      };
      const list = await get(
        '/api/v1/applications?selector=app.kubernetes.io%2Fname%3Dcheckout',
      );
      expect(list.status).toBe(200);
      const [app] = list.body.items;
      expect(app.metadata.namespace).toBe('team-a');
      expect(app.spec.sources).toHaveLength(3);
      expect(app.status.operationState.phase).toBe('Failed');
      const set = await get(
        '/api/v1/applicationsets/checkout-set?appsetNamespace=team-a',
      );
      expect(set.status).toBe(200);
      expect(set.body.status.conditions[0]).toMatchObject({
        type: 'ErrorOccurred',
        status: 'True',
      });
      // the generated instances are unchanged
      expect(fake.applications('local').length).toBeGreaterThan(0);
      expect(
        fake.applications('local').some(a => a.metadata?.name === 'checkout'),
      ).toBe(false);
    } finally {
      await fake.stop();
    }
  });
});
