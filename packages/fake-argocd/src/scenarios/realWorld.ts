import type {
  ArgoCdApplication,
  ArgoCdApplicationSet,
  ArgoCdApplicationSource,
  ArgoCdRevisionMetadata,
} from '@epicshelter/plugin-argocd-common';
import { LABEL_PART_OF } from '@epicshelter/plugin-gitops-common';
import type { FakeInstanceOptions } from '../server';

/** Name of the instance serving {@link realWorldArgoCdInstance}. @public */
export const REAL_WORLD_INSTANCE = 'platform';

/** Application namespace of the scenario (Argo CD's apps-in-any-namespace). @public */
export const REAL_WORLD_APP_NAMESPACE = 'team-a';

const APP_SET_UID = '3f1c9a52-6b0e-4c1d-9f57-2d8e4a7b1c01';

/**
 * The commits the scenario's application deploys: of its values
 * repository (`values`, `valuesOld`) and its manifests repository
 * (`manifests`, `manifestsOld`); the current sync is at `values` and
 * `manifests`, the newest history entry at `values` and `manifestsOld`,
 * the one before at `valuesOld` and `manifestsOld`.
 * @public
 */
export const REAL_WORLD_REVISIONS = {
  values: '9c4e1b7a2f3d8e6c5b4a39281706f5e4d3c2b1a0',
  manifests: '4b8d2f6a1c9e3b7d5f0a2c4e6b8d0f1a3c5e7b9d',
  valuesOld: 'e1d2c3b4a5968778695a4b3c2d1e0f9e8d7c6b5a',
  manifestsOld: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
} as const;
const {
  values: VALUES_SHA,
  manifests: MANIFESTS_SHA,
  valuesOld: VALUES_SHA_OLD,
  manifestsOld: MANIFESTS_SHA_OLD,
} = REAL_WORLD_REVISIONS;

/**
 * What Argo CD's repo server reads for those commits in their repositories
 * (which the fake does not hold).
 */
const revisionMetadata: Record<string, ArgoCdRevisionMetadata> = {
  [VALUES_SHA]: {
    author: 'Ada Lovelace <ada@acme.example>',
    date: '2026-12-01T08:52:10Z',
    message: 'checkout: raise the prod replica count to 4',
    tags: [],
  },
  [VALUES_SHA_OLD]: {
    author: 'Grace Hopper <grace@acme.example>',
    date: '2026-11-30T09:41:03Z',
    message: 'checkout: values for nginx chart 18.0.2',
    tags: ['checkout-values-2026.11.30'],
  },
  [MANIFESTS_SHA]: {
    author: 'Grace Hopper <grace@acme.example>',
    date: '2026-12-02T07:58:31Z',
    message: 'overlays/prod: take the checkout image from the release pipeline',
    tags: [],
  },
  [MANIFESTS_SHA_OLD]: {
    author: 'Linus Torvalds <linus@acme.example>',
    date: '2026-11-29T16:20:45Z',
    message: 'overlays/prod: checkout 2.14.0',
    tags: ['v2.14.0'],
  },
};

const sources: ArgoCdApplicationSource[] = [
  {
    repoURL: 'https://charts.bitnami.com/bitnami',
    chart: 'nginx',
    targetRevision: '18.1.0',
    helm: { valueFiles: ['$values/checkout/values-prod.yaml'] },
  },
  {
    repoURL: 'https://github.com/acme/checkout-config.git',
    targetRevision: 'main',
    ref: 'values',
  },
  {
    repoURL: 'https://github.com/acme/checkout-manifests.git',
    path: 'overlays/prod',
    targetRevision: 'HEAD',
  },
];

const destination = {
  server: 'https://kubernetes.default.svc',
  namespace: 'checkout',
};

/**
 * A multi-source application (Helm chart with values from a second
 * repository, plus a Kustomize overlay) in the non-default namespace
 * `team-a`, owned by an ApplicationSet, whose last sync failed and retried
 * twice: OutOfSync and Degraded, in the shapes Argo CD 2.6+ sends
 * (`spec.sources`, `status.sync.revisions`, history `revisions`/`sources`,
 * a Failed `operationState`).
 */
function failedMultiSourceApplication(): ArgoCdApplication {
  const revisions = ['18.1.0', VALUES_SHA, MANIFESTS_SHA];
  return {
    metadata: {
      name: 'checkout',
      namespace: REAL_WORLD_APP_NAMESPACE,
      uid: '7d2a4e61-0b8f-4c3a-a5d9-1e6f2b3c4d02',
      resourceVersion: '48213377',
      generation: 42,
      creationTimestamp: '2026-10-01T09:12:44Z',
      labels: {
        'app.kubernetes.io/name': 'checkout',
        [LABEL_PART_OF]: 'commerce',
      },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'ApplicationSet',
          name: 'checkout-set',
          uid: APP_SET_UID,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      project: 'team-a',
      sources,
      destination,
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        retry: {
          limit: 2,
          backoff: { duration: '5s', factor: 2, maxDuration: '3m' },
        },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
      },
    },
    status: {
      sync: {
        status: 'OutOfSync',
        revisions,
        comparedTo: { sources, destination },
      },
      health: {
        status: 'Degraded',
        message: 'Deployment "checkout" exceeded its progress deadline',
        lastTransitionTime: '2026-12-02T08:05:00Z',
      },
      history: [
        {
          id: 11,
          revisions: ['18.0.2', VALUES_SHA_OLD, MANIFESTS_SHA_OLD],
          sources,
          deployStartedAt: '2026-11-30T10:00:00Z',
          deployedAt: '2026-11-30T10:00:41Z',
          initiatedBy: { automated: true },
        },
        {
          id: 12,
          revisions: ['18.1.0', VALUES_SHA, MANIFESTS_SHA_OLD],
          sources,
          deployStartedAt: '2026-12-01T09:00:00Z',
          deployedAt: '2026-12-01T09:00:37Z',
          initiatedBy: { username: 'ada' },
        },
      ],
      reconciledAt: '2026-12-02T08:06:10Z',
      sourceTypes: ['Helm', 'Directory', 'Kustomize'],
      controllerNamespace: 'argocd',
      resources: [
        {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: 'checkout',
          name: 'checkout',
          status: 'OutOfSync',
          health: {
            status: 'Degraded',
            message: 'Deployment "checkout" exceeded its progress deadline',
          },
        },
        {
          version: 'v1',
          kind: 'Service',
          namespace: 'checkout',
          name: 'checkout',
          status: 'Synced',
          health: { status: 'Healthy' },
        },
      ],
      operationState: {
        operation: {
          sync: { revisions, syncStrategy: { hook: {} } },
          initiatedBy: { username: 'grace' },
          retry: { limit: 2 },
        },
        phase: 'Failed',
        message:
          'one or more objects failed to apply, reason: Deployment.apps "checkout" is invalid: spec.template.spec.containers[0].image: Required value (retried 2 times).',
        startedAt: '2026-12-02T08:00:00Z',
        finishedAt: '2026-12-02T08:00:52Z',
        retryCount: 2,
        syncResult: {
          revisions,
          sources,
          resources: [
            {
              group: 'apps',
              version: 'v1',
              kind: 'Deployment',
              namespace: 'checkout',
              name: 'checkout',
              status: 'SyncFailed',
              message:
                'Deployment.apps "checkout" is invalid: spec.template.spec.containers[0].image: Required value',
              hookPhase: 'Failed',
              syncPhase: 'Sync',
            },
          ],
        },
      },
    },
  };
}

/** The ApplicationSet of the failing application, unable to generate (a template typo). */
function failingApplicationSet(): ArgoCdApplicationSet {
  const at = '2026-12-02T07:59:00Z';
  const error =
    'failed to execute go template {{.path.basenamee}}: template: :1:7: executing "" at <.path.basenamee>: map has no entry for key "basenamee"';
  return {
    metadata: {
      name: 'checkout-set',
      namespace: REAL_WORLD_APP_NAMESPACE,
      uid: APP_SET_UID,
      creationTimestamp: '2026-10-01T09:12:40Z',
    },
    spec: {
      goTemplate: true,
      generators: [
        {
          git: {
            repoURL: 'https://github.com/acme/checkout-manifests.git',
            revision: 'HEAD',
            directories: [{ path: 'overlays/*' }],
          },
        },
      ],
      template: {
        metadata: { name: '{{.path.basenamee}}' },
        spec: {
          project: 'team-a',
          sources,
          destination,
        },
      },
    },
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
 * An Argo CD instance as a platform team meets it on a bad day, for the
 * browser test of the states (e2e/states.spec.ts) and the argocd backend's
 * tests: the failed multi-source application `checkout` in namespace
 * `team-a` (its commits: {@link REAL_WORLD_REVISIONS}, with their metadata)
 * and its ApplicationSet `checkout-set` in error. Both are validated
 * against Argo CD's swagger when the fake starts.
 * @public
 */
export function realWorldArgoCdInstance(): FakeInstanceOptions {
  return {
    name: REAL_WORLD_INSTANCE,
    applications: [failedMultiSourceApplication()],
    applicationSets: [failingApplicationSet()],
    revisionMetadata,
  };
}
