import { LABEL_PART_OF } from '@epicshelter/plugin-gitops-common';
import { creating, healthy, reconcileError, refOf } from '../builders';
import type { FakeCondition } from '../builders';
import { recordedResourceGroup } from '../realWorld';
import type { KubeObject } from '../types';

/** Namespace of the large-graph scenario. @public */
export const LARGE_GRAPH_NAMESPACE = 'analytics';

/** Label on the scenario's XRs: select them with `app.kubernetes.io/part-of=analytics`. @public */
export const LARGE_GRAPH_PART_OF = 'analytics';

const SQL_GROUP = 'aws.platform.upbound.io';
const REGIONS = ['eu', 'us', 'ap'];
/** Managed resources per XR: 3 × 16 = 48, plus 3 XRs and the provider chain. */
const PER_XR = 16;
const AT = '2026-01-10T10:20:00Z';

const pausedConditions = (): FakeCondition[] => [
  {
    type: 'Ready',
    status: 'True',
    reason: 'Available',
    lastTransitionTime: AT,
  },
  {
    type: 'Synced',
    status: 'False',
    reason: 'ReconcilePaused',
    message: 'Reconciliation is paused via the pause annotation',
    lastTransitionTime: AT,
  },
];

const deletingConditions = (): FakeCondition[] => [
  {
    type: 'Ready',
    status: 'False',
    reason: 'Deleting',
    lastTransitionTime: AT,
  },
  {
    type: 'Synced',
    status: 'True',
    reason: 'ReconcileSuccess',
    lastTransitionTime: AT,
  },
];

/** The state of the i-th managed resource of an XR; most are healthy. */
function stateOf(region: string, i: number): (o: any) => void {
  switch (i) {
    case 0:
      // as recorded: Ready=True, Synced=False/ReconcileError
      return () => {};
    case 1:
      return o => {
        o.status.conditions = creating();
      };
    case 2:
      return o => {
        o.metadata.annotations['crossplane.io/paused'] = 'true';
        o.status.conditions = pausedConditions();
      };
    case 3:
      return o => {
        o.metadata.deletionTimestamp = AT;
        o.metadata.finalizers = ['finalizer.managedresource.crossplane.io'];
        o.status.conditions = deletingConditions();
      };
    case 4:
      if (region !== 'ap') break;
      return o => {
        o.spec.providerConfigRef = {
          kind: 'ClusterProviderConfig',
          name: 'team-c',
        };
        o.status.conditions = reconcileError(
          'connect failed: cannot initialize the no-fork async external client: cannot get terraform setup: cannot get referenced ClusterProviderConfig: ClusterProviderConfig.azure.m.upbound.io "team-c" not found',
          'False',
        );
      };
    default:
      break;
  }
  return o => {
    o.status.conditions = healthy();
  };
}

/** Crossplane's message for an XR waiting for composed resources (three names, then a count). */
function unreadyMessage(names: string[]): string {
  const shown = names.slice(0, 3).join(', ');
  const more = names.length - 3;
  return `Unready resources: ${shown}${more > 0 ? `, and ${more} more` : ''}`;
}

/**
 * A Crossplane graph of more than 50 nodes for the browser test of the
 * layout: three namespaced v2 `SQLInstance` XRs (`analytics-eu`, `-us`,
 * `-ap`) in namespace `analytics`, each composing 16 copies of the
 * recorded Azure ResourceGroup, of which one fails (ReconcileError as
 * recorded), one is creating, one paused and one deleting, and in `-ap` one
 * names a ClusterProviderConfig `team-c` that does not exist; the rest are
 * healthy. It uses the XRD, CRDs and providers of {@link realWorldObjects},
 * so serve both together (see `scenarioObjects('states')`).
 * @public
 */
export function largeGraphObjects(): KubeObject[] {
  const ns = LARGE_GRAPH_NAMESPACE;
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
  ];
  for (const region of REGIONS) {
    const xrName = `analytics-${region}`;
    const composed = Array.from({ length: PER_XR }, (_, i) =>
      recordedResourceGroup(
        `${xrName}-rg-${String(i + 1).padStart(2, '0')}`,
        xrName,
        stateOf(region, i),
        ns,
      ),
    );
    const unready = composed
      .filter(o =>
        (o as any).status.conditions.some(
          (c: FakeCondition) => c.type === 'Ready' && c.status !== 'True',
        ),
      )
      .map(o => o.metadata.name);
    const xr: KubeObject = {
      apiVersion: `${SQL_GROUP}/v1alpha1`,
      kind: 'SQLInstance',
      metadata: {
        name: xrName,
        namespace: ns,
        labels: { [LABEL_PART_OF]: LARGE_GRAPH_PART_OF },
      },
      spec: {
        parameters: {
          region: `${region}-west-2`,
          engine: 'postgres',
          engineVersion: '13.18',
          storageGB: 20,
          passwordSecretRef: { name: `${xrName}-password`, key: 'password' },
          networkRef: { id: 'configuration-aws-database' },
        },
        crossplane: {
          compositionRef: { name: 'xsqlinstances.aws.platform.upbound.io' },
          resourceRefs: composed.map(refOf),
        },
      },
      status: {
        conditions: [
          {
            type: 'Synced',
            status: 'True',
            reason: 'ReconcileSuccess',
            lastTransitionTime: AT,
          },
          {
            type: 'Ready',
            status: 'False',
            reason: 'Creating',
            message: unreadyMessage(unready),
            lastTransitionTime: AT,
          },
        ],
      },
    };
    objects.push(xr, ...composed);
  }
  return objects;
}
