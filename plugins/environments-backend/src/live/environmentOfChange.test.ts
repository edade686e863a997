import {
  ARGOCD_APPLICATION_EVENT_TOPIC,
  ArgoCdApplicationChangedEvent,
} from '@epicshelter/plugin-argocd-common';
import {
  CROSSPLANE_RESOURCE_EVENT_TOPIC,
  CrossplaneResourceChangedEvent,
} from '@epicshelter/plugin-crossplane-common';
import { environmentOfChange } from './environmentOfChange';

const application = (
  over: Partial<ArgoCdApplicationChangedEvent>,
): ArgoCdApplicationChangedEvent => ({
  type: 'MODIFIED',
  instance: 'local',
  namespace: 'argocd',
  name: 'dev-workloads',
  labels: {},
  syncStatus: 'Synced',
  healthStatus: 'Degraded',
  ...over,
});

const resource = (
  over: Partial<CrossplaneResourceChangedEvent>,
): CrossplaneResourceChangedEvent => ({
  type: 'MODIFIED',
  cluster: 'local',
  apiVersion: 'platform.epicshelter.io/v1alpha1',
  kind: 'Database',
  name: 'orders-db',
  labels: {},
  ready: 'False',
  ...over,
});

const argo = (payload: unknown) =>
  environmentOfChange({
    topic: ARGOCD_APPLICATION_EVENT_TOPIC,
    eventPayload: payload,
  });
const crossplane = (payload: unknown) =>
  environmentOfChange({
    topic: CROSSPLANE_RESOURCE_EVENT_TOPIC,
    eventPayload: payload,
  });

describe('environmentOfChange', () => {
  it('finds an application’s environment by its label first, then by its name', () => {
    expect(
      argo(
        application({
          name: 'orders',
          labels: { 'epicshelter.io/environment': 'staging' },
        }),
      ),
    ).toBe('staging');
    expect(argo(application({ name: 'dev-infrastructure' }))).toBe('dev');
    expect(argo(application({ name: 'argocd-self' }))).toBeUndefined();
  });

  it('finds a Crossplane object’s environment by its label, else its namespace', () => {
    expect(
      crossplane(
        resource({
          namespace: 'team-common',
          labels: { 'epicshelter.io/environment': 'dev' },
        }),
      ),
    ).toBe('dev');
    expect(crossplane(resource({ namespace: 'preview-42' }))).toBe(
      'preview-42',
    );
    // cluster-scoped, without the label: no environment
    expect(crossplane(resource({}))).toBeUndefined();
  });

  it('ignores other topics, malformed payloads and names that are no environment name', () => {
    expect(
      environmentOfChange({ topic: 'other', eventPayload: application({}) }),
    ).toBeUndefined();
    expect(argo(null)).toBeUndefined();
    expect(argo({ labels: {} })).toBeUndefined();
    expect(
      argo(
        application({
          labels: { 'epicshelter.io/environment': 'Not_A_Name' },
        }),
      ),
    ).toBeUndefined();
    expect(
      crossplane({ ...resource({ namespace: 'dev' }), labels: 'dev' }),
    ).toBe('dev');
  });
});
