import {
  ApplicationHistoryResponse,
  ApplicationSummary,
  EntityApplicationsResponse,
  ResourceTreeResponse,
} from '@epicshelter/plugin-argocd-common';
import { Entity } from '@backstage/catalog-model';

const SHA = '53e28ff20cc530b9ada2173fbbd64d48338583ba';

const app = (over: Partial<ApplicationSummary>): ApplicationSummary => ({
  instance: 'local',
  name: 'x',
  namespace: 'argocd',
  project: 'platform',
  labels: {},
  layer: 'other',
  sources: [
    {
      repoURL: 'https://github.com/epicshelter/gitops.git',
      path: 'p',
      targetRevision: 'HEAD',
    },
  ],
  multiSource: false,
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
  revision: SHA,
  commitUrl: `https://github.com/epicshelter/gitops/commit/${SHA}`,
  lastSyncedAt: '2026-08-31T08:00:40Z',
  conditions: [],
  argoCdUrl: `http://argocd.local/applications/argocd/x`,
  ...over,
});

export const environmentEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'dev', namespace: 'default' },
  spec: { type: 'environment', owner: 'team-a' },
};

export const componentEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: { 'argocd/app-selector': 'app.kubernetes.io/name=orders-api' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

export const plainEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain', namespace: 'default' },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

export const environmentApps: EntityApplicationsResponse = {
  items: [
    app({
      name: 'dev-workloads',
      environment: 'dev',
      layer: 'workloads',
      argoCdUrl: 'http://argocd.local/applications/argocd/dev-workloads',
    }),
    app({
      name: 'dev-infrastructure',
      environment: 'dev',
      layer: 'infrastructure',
      syncStatus: 'OutOfSync',
      healthStatus: 'Degraded',
      healthMessage: 'Synced=False: ReconcileError',
      conditions: [
        { type: 'SyncError', message: 'storageGB must be at least 10' },
      ],
      operationPhase: 'Running',
      operationMessage: 'waiting for healthy state',
    }),
  ],
  instances: [
    { name: 'local', sandbox: true, status: 'ok' },
    {
      name: 'cloud',
      sandbox: false,
      status: 'error',
      error: {
        name: 'ServiceUnavailableError',
        message: 'Argo CD instance "cloud" did not answer within 5000 ms',
      },
    },
  ],
  sandbox: true,
  canAct: false,
};

export const history: ApplicationHistoryResponse = {
  instance: 'local',
  sandbox: true,
  items: [
    {
      id: 3,
      revision: SHA,
      deployedAt: '2026-08-31T08:00:40Z',
      deployStartedAt: '2026-08-31T08:00:00Z',
      initiatedBy: 'automated',
      commitUrl: `https://github.com/epicshelter/gitops/commit/${SHA}`,
      author: 'Ada Lovelace <ada@epicshelter.io>',
      message: 'feat(infrastructure): add PostgreSQL claim for orders',
      date: '2026-08-30T08:00:00Z',
    },
  ],
};

export const tree: ResourceTreeResponse = {
  instance: 'local',
  sandbox: true,
  tree: {
    nodes: [
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: 'dev',
        name: 'platform-ingress',
        uid: 'd1',
        health: { status: 'Healthy' },
      },
      {
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace: 'dev',
        name: 'platform-ingress-5d8',
        uid: 'r1',
        parentRefs: [
          {
            group: 'apps',
            kind: 'Deployment',
            namespace: 'dev',
            name: 'platform-ingress',
            uid: 'd1',
          },
        ],
        health: { status: 'Healthy' },
      },
      {
        version: 'v1',
        kind: 'Pod',
        namespace: 'dev',
        name: 'platform-ingress-5d8-abcde',
        uid: 'p1',
        parentRefs: [
          {
            group: 'apps',
            kind: 'ReplicaSet',
            namespace: 'dev',
            name: 'platform-ingress-5d8',
            uid: 'r1',
          },
        ],
        health: {
          status: 'Degraded',
          message: 'Back-off restarting failed container',
        },
      },
    ],
  },
  syncStatus: { 'apps/Deployment/dev/platform-ingress': 'OutOfSync' },
};
