import {
  ArgoCdApplication,
  ArgoCdApplicationSet,
} from '@epicshelter/plugin-argocd-common';
import { readReferenceYaml } from '@epicshelter/fake-argocd';
import { fakeApplication } from './applications';

export const SHA_CONFIG = 'a'.repeat(40);
export const SHA_MANIFESTS = 'b'.repeat(40);
export const SHA_CONFIG_OLD = 'c'.repeat(40);
export const SHA_MANIFESTS_OLD = 'd'.repeat(40);

const sources = [
  {
    repoURL: 'https://charts.bitnami.com/bitnami',
    chart: 'nginx',
    targetRevision: '18.1.0',
  },
  {
    repoURL: 'https://github.com/acme/shop-config.git',
    targetRevision: 'main',
    ref: 'values',
  },
  {
    repoURL: 'https://github.com/acme/shop-manifests.git',
    path: 'overlays/prod',
    targetRevision: 'HEAD',
  },
];

/**
 * A multi-source application (Helm chart + values ref + Git path) in the
 * non-default namespace team-a, OutOfSync and Degraded after a failed sync:
 * the shapes Argo CD 2.6+ sends (`spec.sources`, `status.sync.revisions`,
 * history `revisions`/`sources`, a Failed `operationState`).
 */
export function failedMultiSourceApplication(): ArgoCdApplication {
  const base = fakeApplication('shop', {
    namespace: 'team-a',
    labels: { 'app.kubernetes.io/name': 'shop' },
  });
  const history = [
    {
      id: 4,
      revisions: ['18.0.2', SHA_CONFIG_OLD, SHA_MANIFESTS_OLD],
      sources,
      deployStartedAt: '2026-11-30T10:00:00Z',
      deployedAt: '2026-11-30T10:00:41Z',
      initiatedBy: { automated: true },
    },
    {
      id: 5,
      revisions: ['18.1.0', SHA_CONFIG, SHA_MANIFESTS_OLD],
      sources,
      deployStartedAt: '2026-12-01T09:00:00Z',
      deployedAt: '2026-12-01T09:00:37Z',
      initiatedBy: { username: 'ada' },
    },
  ];
  return {
    ...base,
    metadata: {
      ...base.metadata,
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'ApplicationSet',
          name: 'shop-set',
          uid: 'b2c3d4e5-0000-4000-8000-000000000001',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      project: 'default',
      sources,
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'shop',
      },
    },
    status: {
      ...base.status,
      sync: {
        status: 'OutOfSync',
        revisions: ['18.1.0', SHA_CONFIG, SHA_MANIFESTS],
        comparedTo: {
          sources,
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: 'shop',
          },
        },
      },
      health: {
        status: 'Degraded',
        message: 'Deployment "shop" exceeded its progress deadline',
        lastTransitionTime: '2026-12-02T08:05:00Z',
      },
      history,
      sourceType: undefined,
      sourceTypes: ['Helm', 'Directory', 'Kustomize'],
      operationState: {
        operation: {
          sync: {
            revisions: ['18.1.0', SHA_CONFIG, SHA_MANIFESTS],
            syncStrategy: { hook: {} },
          },
          initiatedBy: { username: 'grace' },
          retry: { limit: 2 },
        },
        phase: 'Failed',
        message:
          'one or more objects failed to apply, reason: Deployment.apps "shop" is invalid: spec.template.spec.containers[0].image: Required value (retried 2 times).',
        startedAt: '2026-12-02T08:00:00Z',
        finishedAt: '2026-12-02T08:00:52Z',
        retryCount: 2,
      },
    },
  };
}

/** The ApplicationSet of {@link failedMultiSourceApplication}, failing to generate. */
export function failingApplicationSet(): ArgoCdApplicationSet {
  const at = '2026-12-02T07:59:00Z';
  const error =
    'failed to execute go template {{.path.basenamee}}: template: :1:7: executing "" at <.path.basenamee>: map has no entry for key "basenamee"';
  return {
    metadata: {
      name: 'shop-set',
      namespace: 'team-a',
      uid: 'b2c3d4e5-0000-4000-8000-000000000001',
      creationTimestamp: '2026-10-01T00:00:00Z',
    },
    spec: { generators: [{ list: { elements: [] } }] },
    status: {
      conditions: [
        {
          type: 'ErrorOccurred',
          status: 'True',
          reason: 'ApplicationGenerationFromParamsError',
          message: error,
          lastTransitionTime: at,
        },
        {
          type: 'ParametersGenerated',
          status: 'True',
          reason: 'ParametersGenerated',
          message: 'Successfully generated parameters for all Applications',
          lastTransitionTime: at,
        },
        {
          type: 'ResourcesUpToDate',
          status: 'False',
          reason: 'ApplicationGenerationFromParamsError',
          message: error,
          lastTransitionTime: at,
        },
        {
          type: 'RolloutProgressing',
          status: 'False',
          reason: 'ApplicationSetRolloutComplete',
          message: 'ApplicationSet Rollout has completed',
          lastTransitionTime: at,
        },
      ],
    },
  };
}

/**
 * The recorded Application of Argo CD's own test data (namespace argo-cd,
 * owned by an ApplicationSet), as the API sends it (no apiVersion/kind).
 */
export function recordedApplication(): ArgoCdApplication {
  const {
    apiVersion: _apiVersion,
    kind: _kind,
    ...app
  } = readReferenceYaml('recorded/argocd-application-full-status.yaml');
  return app;
}
