import { createHash } from 'node:crypto';
import { ENVIRONMENT_LABEL } from '@epicshelter/plugin-argocd-common';
import { LABEL_PART_OF } from '@epicshelter/plugin-gitops-common';
import type {
  ArgoCdApplication,
  ArgoCdApplicationSet,
  ArgoCdApplicationSource,
  ArgoCdApplicationTree,
  ArgoCdResourceNode,
  ArgoCdResourceStatus,
  ArgoCdRevisionHistory,
  ArgoCdRevisionMetadata,
} from '@epicshelter/plugin-argocd-common';

/** The GitOps repository every generated application deploys from. */
export const GITOPS_REPO_URL = 'https://github.com/epicshelter/gitops.git';
/** Helm chart repository used by the multi-source applications. */
export const CHART_REPO_URL = 'https://charts.epicshelter.io';
const ARGOCD_NAMESPACE = 'argocd';
const BASE_TIME = Date.parse('2026-09-01T08:00:00Z');

const digest = (s: string) => createHash('sha1').update(s).digest('hex');
const pick = <T>(seed: string, values: T[]): T =>
  values[parseInt(digest(seed).slice(0, 8), 16) % values.length];
const iso = (ms: number) =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const uid = (seed: string) => {
  const h = digest(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
};

/** Commit SHA `n` of the GitOps repository (shared by all applications). */
export function commitSha(n: number): string {
  return digest(`${GITOPS_REPO_URL}#${n}`);
}

/** Revision metadata Argo CD's repo server would return for a commit. */
export function revisionMetadataFor(
  revision: string,
): ArgoCdRevisionMetadata | undefined {
  if (!/^[0-9a-f]{40}$/.test(revision)) return undefined;
  const n = parseInt(revision.slice(0, 6), 16) % 500;
  const author = pick(`${revision}a`, [
    'Ada Lovelace <ada@epicshelter.io>',
    'Grace Hopper <grace@epicshelter.io>',
    'Linus Torvalds <linus@epicshelter.io>',
    'Margaret Hamilton <margaret@epicshelter.io>',
  ]);
  const message = pick(`${revision}m`, [
    'chore(dev): bump orders-api image to 1.4.2',
    'feat(staging): add storefront HPA',
    'fix: raise memory limit of orders-api',
    'chore: rotate database credentials reference',
    'feat(infrastructure): add PostgreSQL claim for orders',
  ]);
  return {
    author,
    date: iso(BASE_TIME - n * 3_600_000),
    message,
    tags: n % 10 === 0 ? [`v1.${n / 10}.0`] : [],
  };
}

/** One deployment of a Git commit in an application's history. */
export interface AppDeployment {
  /** History id (Argo CD numbers deployments per application). */
  id: number;
  /** Commit SHA of the GitOps repository. */
  revision: string;
  deployStartedAt: string;
  deployedAt: string;
}

/** What to generate for one application. */
export interface AppSpec {
  name: string;
  labels: Record<string, string>;
  path: string;
  destinationNamespace: string;
  project: string;
  applicationSet: string;
  multiSource?: boolean;
  layer: 'workloads' | 'infrastructure' | 'component';
  /** Overrides of the generated status. */
  sync?: 'Synced' | 'OutOfSync';
  health?: 'Healthy' | 'Progressing' | 'Degraded' | 'Missing';
  conditionMessage?: string;
  /** GitOps repository URL of the sources; default {@link GITOPS_REPO_URL}. */
  repoURL?: string;
  /**
   * Real deployments, oldest first: the history, the synced revision and the
   * timestamps come from them instead of invented commits.
   */
  deployments?: AppDeployment[];
  /** Managed resources to report instead of the generated ones. */
  resources?: ArgoCdResourceStatus[];
}

function resourcesFor(spec: AppSpec): ArgoCdResourceStatus[] {
  if (spec.resources) return spec.resources;
  const ns = spec.destinationNamespace;
  const base = spec.name.replace(/-(dev|staging|prod.*)$/, '');
  if (spec.layer === 'infrastructure') {
    return [
      {
        version: 'v1',
        kind: 'Namespace',
        name: ns,
        status: 'Synced',
        health: { status: 'Healthy' },
      },
      {
        group: 'platform.epicshelter.io',
        version: 'v1alpha1',
        kind: 'PostgreSQLInstance',
        namespace: ns,
        name: 'orders-db',
        status: spec.sync ?? 'Synced',
        health: {
          status: spec.health ?? 'Healthy',
          message:
            spec.health === 'Degraded'
              ? 'Synced=False: ReconcileError'
              : undefined,
        },
      },
      {
        group: 'platform.epicshelter.io',
        version: 'v1alpha1',
        kind: 'ObjectStorage',
        namespace: ns,
        name: 'storefront-assets',
        status: 'Synced',
        health: { status: 'Healthy' },
      },
    ];
  }
  const app = spec.layer === 'workloads' ? 'platform-ingress' : base;
  return [
    {
      version: 'v1',
      kind: 'Service',
      namespace: ns,
      name: app,
      status: 'Synced',
      health: { status: 'Healthy' },
    },
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: ns,
      name: app,
      status: spec.sync ?? 'Synced',
      health: { status: spec.health ?? 'Healthy' },
    },
  ];
}

/** Resource tree derived from an application's managed resources. */
export function resourceTreeFor(app: ArgoCdApplication): ArgoCdApplicationTree {
  const nodes: ArgoCdResourceNode[] = [];
  const created = app.metadata?.creationTimestamp;
  for (const r of app.status?.resources ?? []) {
    const nodeUid = uid(`${app.metadata?.name}/${r.kind}/${r.name}`);
    nodes.push({
      group: r.group,
      version: r.version,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      uid: nodeUid,
      health: r.health,
      createdAt: created,
      resourceVersion: String(parseInt(nodeUid.slice(0, 6), 16)),
    });
    if (r.kind === 'Deployment') {
      const rsName = `${r.name}-${nodeUid.slice(0, 10)}`;
      const rsUid = uid(`${nodeUid}/rs`);
      nodes.push({
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace: r.namespace,
        name: rsName,
        uid: rsUid,
        parentRefs: [
          {
            group: 'apps',
            kind: 'Deployment',
            namespace: r.namespace,
            name: r.name,
            uid: nodeUid,
          },
        ],
        health: { status: r.health?.status ?? 'Healthy' },
        info: [{ name: 'Revision', value: 'Rev:3' }],
        createdAt: created,
      });
      for (const i of [0, 1]) {
        const podName = `${rsName}-${nodeUid.slice(10 + i * 5, 15 + i * 5)}`;
        const healthy = r.health?.status !== 'Degraded' || i === 0;
        nodes.push({
          version: 'v1',
          kind: 'Pod',
          namespace: r.namespace,
          name: podName,
          uid: uid(`${rsUid}/${i}`),
          parentRefs: [
            {
              group: 'apps',
              kind: 'ReplicaSet',
              namespace: r.namespace,
              name: rsName,
              uid: rsUid,
            },
          ],
          health: healthy
            ? { status: 'Healthy' }
            : {
                status: 'Degraded',
                message: 'Back-off restarting failed container',
              },
          info: [
            {
              name: 'Status Reason',
              value: healthy ? 'Running' : 'CrashLoopBackOff',
            },
            { name: 'Containers', value: healthy ? '1/1' : '0/1' },
          ],
          images: [`ghcr.io/epicshelter/${r.name}:1.4.2`],
          createdAt: created,
        });
      }
    }
  }
  return { nodes };
}

/** How many deployments the history of an application keeps (3 to 8, fixed per name). */
export function historyLengthFor(name: string): number {
  return 3 + (parseInt(digest(name).slice(0, 2), 16) % 6);
}

/** Builds one Application object shaped like Argo CD's `GET /applications/{name}`. */
export function buildApplication(spec: AppSpec): ArgoCdApplication {
  const seed = spec.name;
  const historyLength = historyLengthFor(spec.name);
  const firstCommit = parseInt(digest(seed).slice(2, 6), 16) % 150;
  const repoURL = spec.repoURL ?? GITOPS_REPO_URL;
  const source: ArgoCdApplicationSource = {
    repoURL,
    path: spec.path,
    targetRevision: 'HEAD',
  };
  const sources: ArgoCdApplicationSource[] | undefined = spec.multiSource
    ? [
        {
          repoURL: CHART_REPO_URL,
          chart: spec.labels['app.kubernetes.io/name'] ?? spec.name,
          targetRevision: '1.4.2',
        },
        {
          repoURL,
          path: spec.path,
          targetRevision: 'HEAD',
          ref: 'values',
        },
      ]
    : undefined;
  const deployments: AppDeployment[] =
    spec.deployments ??
    Array.from({ length: historyLength }, (_, i) => {
      const deployStartedAt = BASE_TIME - (historyLength - i) * 86_400_000;
      return {
        id: i,
        revision: commitSha(firstCommit + i * 7),
        deployStartedAt: iso(deployStartedAt),
        deployedAt: iso(deployStartedAt + 40_000),
      };
    });
  if (deployments.length === 0) {
    throw new Error(`Application ${spec.name} needs at least one deployment`);
  }
  const history: ArgoCdRevisionHistory[] = deployments.map(d => {
    const entry: ArgoCdRevisionHistory = {
      id: d.id,
      deployStartedAt: d.deployStartedAt,
      deployedAt: d.deployedAt,
      initiatedBy: d.id % 2 ? { username: 'admin' } : { automated: true },
    };
    if (sources) {
      entry.revisions = [`1.4.${d.id}`, d.revision];
      entry.sources = sources;
    } else {
      entry.revision = d.revision;
      entry.source = source;
    }
    return entry;
  });
  const last = history[history.length - 1];
  // With real deployments, the application exists since its first one and
  // was last reconciled when its last one finished.
  const createdAt = spec.deployments
    ? Date.parse(deployments[0].deployStartedAt)
    : BASE_TIME - 30 * 86_400_000;
  const reconciledAt = spec.deployments
    ? Date.parse(deployments[deployments.length - 1].deployedAt)
    : BASE_TIME - 120_000;
  const revision = last.revision;
  const revisions = last.revisions;
  const sync = spec.sync ?? 'Synced';
  const health = spec.health ?? 'Healthy';
  const resources = resourcesFor(spec);
  const labels = { ...spec.labels };
  return {
    metadata: {
      name: spec.name,
      namespace: ARGOCD_NAMESPACE,
      uid: uid(`app/${seed}`),
      resourceVersion: String(
        100000 + (parseInt(digest(seed).slice(6, 12), 16) % 900000),
      ),
      generation: 11 + deployments[deployments.length - 1].id,
      creationTimestamp: iso(createdAt),
      labels,
      annotations: { 'argocd.argoproj.io/manifest-generate-paths': '.' },
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'ApplicationSet',
          name: spec.applicationSet,
          uid: uid(`appset/${spec.applicationSet}`),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      project: spec.project,
      ...(sources ? { sources } : { source }),
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: spec.destinationNamespace,
      },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
      },
    },
    status: {
      resources,
      sync: {
        status: sync,
        comparedTo: {
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: spec.destinationNamespace,
          },
          ...(sources ? { sources } : { source }),
        },
        ...(revisions ? { revisions } : { revision }),
      },
      health: {
        status: health,
        ...(health !== 'Healthy'
          ? { message: spec.conditionMessage ?? `${health} resources` }
          : {}),
        lastTransitionTime: last.deployedAt,
      },
      history,
      reconciledAt: iso(reconciledAt),
      operationState: {
        operation: {
          sync: {
            ...(revisions ? { revisions } : { revision }),
            syncStrategy: { hook: {} },
          },
          initiatedBy: { automated: true },
          retry: { limit: 5 },
        },
        phase:
          sync === 'OutOfSync' && spec.conditionMessage
            ? 'Failed'
            : 'Succeeded',
        message:
          sync === 'OutOfSync' && spec.conditionMessage
            ? spec.conditionMessage
            : 'successfully synced (all tasks run)',
        startedAt: last.deployStartedAt,
        finishedAt: last.deployedAt,
        syncResult: {
          resources: resources.map(r => ({
            group: r.group ?? '',
            version: r.version,
            kind: r.kind,
            namespace: r.namespace,
            name: r.name,
            status: 'Synced',
            message: `${(r.kind ?? '').toLowerCase()}/${r.name} unchanged`,
            hookPhase: 'Running',
            syncPhase: 'Sync',
          })),
          ...(revisions ? { revisions, sources } : { revision, source }),
        },
      },
      ...(spec.conditionMessage
        ? {
            conditions: [
              {
                type: 'SyncError',
                message: spec.conditionMessage,
                lastTransitionTime: last.deployedAt,
              },
            ],
          }
        : {}),
      sourceType: sources ? undefined : 'Kustomize',
      ...(sources ? { sourceTypes: ['Helm', 'Directory'] } : {}),
      summary: {
        images:
          spec.layer === 'infrastructure'
            ? []
            : [`ghcr.io/epicshelter/${spec.name}:1.4.2`],
      },
    },
  };
}

function envApps(env: string): AppSpec[] {
  const labels = (layer: string) => ({
    [ENVIRONMENT_LABEL]: env,
    [LABEL_PART_OF]: 'epicshelter',
    'app.kubernetes.io/component': layer,
  });
  return [
    {
      name: `${env}-infrastructure`,
      labels: labels('infrastructure'),
      path: `environments/overlays/${env}/infrastructure`,
      destinationNamespace: env,
      project: 'platform',
      applicationSet: 'environments',
      layer: 'infrastructure',
      ...(env === 'staging'
        ? {
            sync: 'OutOfSync' as const,
            health: 'Degraded' as const,
            conditionMessage:
              'PostgreSQLInstance.platform.epicshelter.io "orders-db" is invalid: spec.parameters.storageGB: Invalid value: 5: must be at least 10',
          }
        : {}),
    },
    {
      name: `${env}-workloads`,
      labels: labels('workloads'),
      path: `environments/overlays/${env}/workloads`,
      destinationNamespace: env,
      project: 'platform',
      applicationSet: 'environments',
      layer: 'workloads',
    },
  ];
}

function componentApp(
  component: string,
  env: string,
  multiSource = false,
): AppSpec {
  return {
    name: `${component}-${env}`,
    labels: {
      'app.kubernetes.io/name': component,
      [LABEL_PART_OF]: 'epicshelter',
      [ENVIRONMENT_LABEL]: env,
      'backstage.io/kubernetes-id': component,
    },
    path: `apps/${component}/overlays/${env}`,
    destinationNamespace: env,
    project: 'workloads',
    applicationSet: component,
    multiSource,
    layer: 'component',
    ...(component === 'orders-api' && env === 'dev'
      ? { health: 'Progressing' as const }
      : {}),
  };
}

/**
 * Specs of the applications of one instance. `environments` are the
 * environments whose applications live on it; `total` pads with
 * `svc-NNNN-<env>` applications.
 */
export function generateInstanceSpecs(
  environments: string[],
  total?: number,
): AppSpec[] {
  const specs: AppSpec[] = [];
  for (const env of environments) {
    specs.push(...envApps(env));
    specs.push(componentApp('orders-api', env));
    specs.push(componentApp('storefront', env, true));
  }
  const env = environments[0] ?? 'dev';
  for (let i = 0; total !== undefined && specs.length < total; i++) {
    specs.push(
      componentApp(`svc-${String(i).padStart(4, '0')}`, env, i % 5 === 0),
    );
  }
  return specs;
}

/** Applications of one instance (see {@link generateInstanceSpecs}). */
export function generateInstanceApplications(
  environments: string[],
  total?: number,
): ArgoCdApplication[] {
  return generateInstanceSpecs(environments, total).map(s =>
    buildApplication(s),
  );
}

/** ApplicationSets owning the given applications (derived from ownerReferences). */
export function applicationSetsFor(
  apps: ArgoCdApplication[],
  repoURL = GITOPS_REPO_URL,
): ArgoCdApplicationSet[] {
  const byName = new Map<string, ArgoCdApplication[]>();
  for (const app of apps) {
    const owner = app.metadata?.ownerReferences?.find(
      o => o.kind === 'ApplicationSet',
    );
    if (!owner?.name) continue;
    byName.set(owner.name, [...(byName.get(owner.name) ?? []), app]);
  }
  return [...byName.entries()].map(([name, owned]) => ({
    metadata: {
      name,
      namespace: ARGOCD_NAMESPACE,
      uid: uid(`appset/${name}`),
      creationTimestamp: iso(BASE_TIME - 40 * 86_400_000),
    },
    spec: {
      goTemplate: true,
      generators: [
        {
          git: {
            repoURL,
            revision: 'HEAD',
            directories: [
              {
                path:
                  name === 'environments'
                    ? 'environments/overlays/*'
                    : `apps/${name}/overlays/*`,
              },
            ],
          },
        },
      ],
      template: {
        metadata: {
          name:
            name === 'environments'
              ? '{{.path.basename}}-{{.layer}}'
              : `${name}-{{.path.basename}}`,
        },
        spec: {
          project: owned[0].spec?.project,
          destination: { server: 'https://kubernetes.default.svc' },
        },
      },
    },
    status: {
      conditions: [
        {
          type: 'ResourcesUpToDate',
          status: 'True',
          reason: 'ApplicationSetUpToDate',
          message: 'All applications have been generated successfully',
          lastTransitionTime: iso(BASE_TIME - 86_400_000),
        },
      ],
      resources: owned.map(a => ({
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Application',
        namespace: ARGOCD_NAMESPACE,
        name: a.metadata?.name,
        status: a.status?.sync?.status,
        health: { status: a.status?.health?.status },
      })),
      resourcesCount: owned.length,
    },
  }));
}
