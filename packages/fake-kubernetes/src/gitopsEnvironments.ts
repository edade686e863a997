import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { parse, parseAllDocuments } from 'yaml';
import {
  ENVIRONMENT_FILE_NAME,
  EnvironmentSpec,
  LABEL_BACKSTAGE_KUBERNETES_ID,
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  LABEL_RESOURCE_TYPE,
  PART_OF_VALUE,
  crossplaneObjectsFor,
  environmentDir,
  safeParseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import {
  FakeCondition,
  creating,
  epicshelterLabels,
  healthy,
  managed,
  managedCrd,
  v1Claim,
  v1Composite,
  v2Composite,
} from './builders';
import type { FakeKubernetesServer } from './server';
import type { KubeObject } from './types';
import {
  DELETING_MS,
  beingDeleted,
  keptObjects,
  protectionAnnotations,
  withAnnotations,
} from './deletion';

/** What a cluster has of an environment Argo CD applied: being created, or ready. */
export type EnvironmentState = 'creating' | 'ready';

const hash = (s: string) => createHash('sha1').update(s).digest('hex');
const uid = (s: string) => {
  const h = hash(s);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
};
const suffix = (s: string, n = 5) => hash(s).slice(0, n);

/**
 * The managed resource kind a platform Composition composes for a resource
 * type on a provider (one per XR: enough to show the tree), with its plural.
 */
function managedKind(
  resourceType: string,
  provider: string,
  v2: boolean,
): { group: string; kind: string; plural: string } {
  const m = v2 ? '.m' : '';
  if (provider === 'local') {
    // the local Compositions install Helm charts in the cluster
    return {
      group: `helm${m}.crossplane.io`,
      kind: 'Release',
      plural: 'releases',
    };
  }
  const table: Record<string, Record<string, [string, string, string]>> = {
    aws: {
      database: ['rds', 'Instance', 'instances'],
      cache: ['elasticache', 'ReplicationGroup', 'replicationgroups'],
      bucket: ['s3', 'Bucket', 'buckets'],
      'kubernetes-cluster': ['eks', 'Cluster', 'clusters'],
    },
    gcp: {
      database: ['sql', 'DatabaseInstance', 'databaseinstances'],
      cache: ['redis', 'Instance', 'instances'],
      bucket: ['storage', 'Bucket', 'buckets'],
      'kubernetes-cluster': ['container', 'Cluster', 'clusters'],
    },
    azure: {
      database: ['dbforpostgresql', 'FlexibleServer', 'flexibleservers'],
      cache: ['cache', 'RedisCache', 'rediscaches'],
      bucket: ['storage', 'Account', 'accounts'],
      'kubernetes-cluster': [
        'containerservice',
        'KubernetesCluster',
        'kubernetesclusters',
      ],
    },
  };
  const [service, kind, plural] = table[provider]?.[resourceType] ??
    table.aws[resourceType] ?? ['rds', 'Instance', 'instances'];
  return { group: `${service}.${provider}${m}.upbound.io`, kind, plural };
}

/**
 * The objects a cluster holds for an environment once Argo CD applied its
 * two applications: its namespace; per declared resource the XR (v2) or the
 * claim and its cluster-scoped XR (v1), named as the GitOps generator names
 * them, each composing one managed resource of the provider; per workload a
 * Deployment, its ReplicaSet, Pods and a Service, labelled for Backstage's
 * Kubernetes tab (`backstage.io/kubernetes-id`). Also the CRDs of the
 * managed kinds, so they are served. `crossplane: false` leaves out the
 * Crossplane objects (for an environment another fixture already serves).
 */
export function environmentClusterObjects(
  spec: EnvironmentSpec,
  state: EnvironmentState,
  options: { crossplane?: boolean } = {},
): KubeObject[] {
  const env = spec.name;
  const conditions: FakeCondition[] =
    state === 'ready' ? healthy() : creating();
  const base = { [LABEL_PART_OF]: PART_OF_VALUE, [LABEL_ENVIRONMENT]: env };
  const out: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: env, labels: base },
    },
  ];
  const v2 = spec.crossplaneApi === 'v2';
  for (const ref of options.crossplane === false
    ? []
    : crossplaneObjectsFor(spec)) {
    const labels = {
      ...epicshelterLabels(env, ref.resource, spec.provider),
      [LABEL_RESOURCE_TYPE]: ref.resourceType,
    };
    const mk = managedKind(ref.resourceType, spec.provider, v2);
    const composition = `${ref.kind.toLowerCase()}-${spec.provider}`;
    const [group, version] = ref.apiVersion.split('/');
    if (!out.some(o => o.metadata.name === `${mk.plural}.${mk.group}`)) {
      out.push(managedCrd(mk.group, mk.kind, mk.plural, v2));
    }
    if (v2) {
      const mr = managed({
        apiVersion: `${mk.group}/v1beta1`,
        kind: mk.kind,
        name: `${ref.name}-${suffix(ref.name)}`,
        namespace: env,
        composite: ref.name,
        labels,
        externalName: ref.name,
        conditions,
        connectionSecretName: ref.connectionSecretName,
      });
      out.push(
        mr,
        v2Composite({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          name: ref.name,
          namespace: env,
          labels,
          composition,
          provider: spec.provider,
          resourceRefs: [
            {
              apiVersion: mr.apiVersion,
              kind: mr.kind,
              name: mr.metadata.name,
            },
          ],
          conditions,
        }),
      );
    } else {
      const xrName = `${ref.name}-${suffix(`${ref.name}/xr`)}`;
      const claim = { name: ref.name, namespace: env };
      const mr = managed({
        apiVersion: `${mk.group}/v1beta1`,
        kind: mk.kind,
        name: `${xrName}-${suffix(xrName)}`,
        composite: xrName,
        claim,
        labels,
        externalName: xrName,
        conditions,
      });
      const xrRef = {
        apiVersion: `${group}/${version}`,
        kind: `X${ref.kind}`,
        name: xrName,
      };
      out.push(
        mr,
        v1Composite({
          ...xrRef,
          labels,
          composition: `x${composition}`,
          resourceRefs: [
            {
              apiVersion: mr.apiVersion,
              kind: mr.kind,
              name: mr.metadata.name,
            },
          ],
          claim: { ...xrRef, kind: ref.kind, name: ref.name, namespace: env },
          conditions,
        }),
        v1Claim({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          name: ref.name,
          namespace: env,
          labels,
          composite: xrRef,
          connectionSecretName: ref.connectionSecretName,
          provider: spec.provider,
          conditions,
        }),
      );
    }
  }
  for (const workload of spec.workloads) {
    out.push(...workloadObjects(spec, workload, state));
  }
  return out;
}

/** A Deployment with its ReplicaSet, Pods and Service, as a cluster reports them. */
function workloadObjects(
  spec: EnvironmentSpec,
  workload: string,
  state: EnvironmentState,
): KubeObject[] {
  const env = spec.name;
  const override = spec.workloadOverrides?.[workload];
  // as the generator's default: 2 on a cloud cluster, 1 on the local one
  const replicas = override?.replicas ?? (spec.target === 'cloud' ? 2 : 1);
  const image = `ghcr.io/epicshelter/${workload}:${
    override?.imageTag ?? '1.0.0'
  }`;
  const labels = {
    [LABEL_PART_OF]: PART_OF_VALUE,
    [LABEL_ENVIRONMENT]: env,
    [LABEL_BACKSTAGE_KUBERNETES_ID]: workload,
    'app.kubernetes.io/name': workload,
  };
  const selector = { 'app.kubernetes.io/name': workload };
  const ready = state === 'ready' ? replicas : 0;
  const deploymentUid = uid(`${env}/deployment/${workload}`);
  const template = `${suffix(`${env}/${workload}/template`, 10)}`;
  const rsName = `${workload}-${template}`;
  const rsUid = uid(`${env}/replicaset/${rsName}`);
  const container = {
    name: 'app',
    image,
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    },
  };
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: workload,
      namespace: env,
      uid: deploymentUid,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...labels, 'pod-template-hash': template } },
        spec: { containers: [container] },
      },
      strategy: { type: 'RollingUpdate' },
    },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(ready < replicas ? { unavailableReplicas: replicas - ready } : {}),
      conditions: [
        {
          type: 'Available',
          status: ready === replicas ? 'True' : 'False',
          reason:
            ready === replicas
              ? 'MinimumReplicasAvailable'
              : 'MinimumReplicasUnavailable',
          message:
            ready === replicas
              ? 'Deployment has minimum availability.'
              : 'Deployment does not have minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          reason:
            ready === replicas ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" ${
            ready === replicas
              ? 'has successfully progressed'
              : 'is progressing'
          }.`,
        },
      ],
    },
  };
  const owner = (kind: string, name: string, ownerUid: string) => [
    {
      apiVersion: 'apps/v1',
      kind,
      name,
      uid: ownerUid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  const replicaSet: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: rsName,
      namespace: env,
      uid: rsUid,
      labels: { ...labels, 'pod-template-hash': template },
      ownerReferences: owner('Deployment', workload, deploymentUid),
    },
    spec: {
      replicas,
      selector: { matchLabels: { ...selector, 'pod-template-hash': template } },
      template: deployment.spec
        ? (deployment.spec as { template: unknown }).template
        : undefined,
    },
    status: {
      replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      fullyLabeledReplicas: replicas,
      observedGeneration: 1,
    },
  };
  const pods: KubeObject[] = Array.from({ length: replicas }, (_, i) => {
    const name = `${rsName}-${suffix(`${rsName}/${i}`)}`;
    const running = state === 'ready';
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: env,
        uid: uid(`${env}/pod/${name}`),
        labels: { ...labels, 'pod-template-hash': template },
        ownerReferences: owner('ReplicaSet', rsName, rsUid),
      },
      spec: { containers: [container], nodeName: 'sandbox-node' },
      status: {
        phase: running ? 'Running' : 'Pending',
        podIP: `10.244.0.${10 + i}`,
        startTime: '2026-01-10T09:06:00Z',
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Initialized', status: 'True' },
          { type: 'ContainersReady', status: running ? 'True' : 'False' },
          { type: 'Ready', status: running ? 'True' : 'False' },
        ],
        containerStatuses: [
          {
            name: 'app',
            image,
            imageID: `${image}@sha256:${hash(image)}${hash(image).slice(
              0,
              24,
            )}`,
            ready: running,
            started: running,
            restartCount: 0,
            state: running
              ? { running: { startedAt: '2026-01-10T09:06:10Z' } }
              : { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      },
    };
  });
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: workload, namespace: env, labels },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  return [deployment, replicaSet, ...pods, service];
}

/**
 * Reads the environment specs at the head of `branch` of the git repository
 * `dir`, and per environment the annotations its documents set that Argo
 * CD's sync options read (`Kind/name` → annotations; see
 * protectionAnnotations), such as a decommission's protection.
 */
export function readRepositoryEnvironments(
  dir: string,
  branch = 'main',
): {
  head: string;
  specs: EnvironmentSpec[];
  annotations: Map<string, Map<string, Record<string, string>>>;
} {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  const head = git('rev-parse', `refs/heads/${branch}`).trim();
  let folders: string[] = [];
  try {
    folders = git('ls-tree', '--name-only', '-d', head, 'environments/')
      .split('\n')
      .filter(Boolean)
      .map(p => p.replace(/^environments\//, ''));
  } catch {
    folders = [];
  }
  const specs: EnvironmentSpec[] = [];
  for (const folder of folders) {
    let text: string;
    try {
      text = git(
        'show',
        `${head}:${environmentDir(folder)}/${ENVIRONMENT_FILE_NAME}`,
      );
    } catch {
      continue;
    }
    try {
      const doc = parse(text) as {
        metadata?: { name?: unknown };
        spec?: unknown;
      };
      const parsed = safeParseEnvironmentSpec(doc?.spec);
      if (
        parsed.success &&
        parsed.spec.name === folder &&
        doc?.metadata?.name === folder
      ) {
        specs.push(parsed.spec);
      }
    } catch {
      // a broken environment.yaml: Argo CD would not apply it either
    }
  }
  return { head, specs, annotations: readSyncOptionAnnotations(git, head) };
}

/** Per environment, the annotations of its documents that carry Argo CD sync options. */
function readSyncOptionAnnotations(
  git: (...args: string[]) => string,
  head: string,
): Map<string, Map<string, Record<string, string>>> {
  const out = new Map<string, Map<string, Record<string, string>>>();
  let files: string[] = [];
  try {
    // one call finds the few files that set sync options
    files = git(
      'grep',
      '-l',
      '-F',
      'argocd.argoproj.io/sync-options',
      head,
      '--',
      'environments/',
    )
      .split('\n')
      .map(f => f.replace(`${head}:`, ''))
      .filter(f => /^environments\/[^/]+\/.+\.ya?ml$/.test(f));
  } catch {
    return out; // git grep exits 1 when nothing matches
  }
  for (const file of files) {
    const env = file.split('/')[1];
    const docs = parseAllDocuments(git('show', `${head}:${file}`)).map(d =>
      d.toJS(),
    );
    const found = out.get(env) ?? new Map<string, Record<string, string>>();
    for (const [k, v] of protectionAnnotations(docs)) found.set(k, v);
    out.set(env, found);
  }
  return out;
}

/** Options of {@link followGitOpsRepository}. */
export interface FollowGitOpsOptions {
  /** The local GitOps repository. */
  dir: string;
  branch?: string;
  /** Environments whose Crossplane objects another fixture serves (e.g. the demo's `dev`). */
  withoutCrossplane?: string[];
  /** After how long a new environment's objects appear (Argo CD syncing). Default 3 s. */
  appearAfterMs?: number;
  /** After how long they are ready. Default 10 s. */
  readyAfterMs?: number;
  /** How often the branch is read. Default 1 s. */
  pollMs?: number;
  /** How long a removed environment's objects are shown being deleted. Default DELETING_MS. */
  deletingMs?: number;
  /** Called with a message when the repository cannot be read. */
  onError?(message: string): void;
}

/**
 * Keeps the fake's objects in step with the environments of a local GitOps
 * repository, as a cluster whose Argo CD syncs them would: environments
 * present at start are served ready; a new one's objects appear after
 * `appearAfterMs` being created (XRs and MRs Ready=False/Creating, Pods
 * Pending) and are ready after `readyAfterMs`; a changed environment is
 * served anew; a removed one's objects are deleted. Returns a function that
 * stops following.
 */
export function followGitOpsRepository(
  server: Pick<FakeKubernetesServer, 'apply' | 'remove'>,
  options: FollowGitOpsOptions,
): () => void {
  const appearAfter = options.appearAfterMs ?? 3_000;
  const readyAfter = options.readyAfterMs ?? 10_000;
  const firstSeen = new Map<string, number>();
  const served = new Map<string, { key: string; objects: KubeObject[] }>();
  const deletingFor = options.deletingMs ?? DELETING_MS;
  /** Environments gone from the repository: when, and what they keep. */
  const removing = new Map<string, { at: number; kept: KubeObject[] }>();
  let started = false;

  const same = (a: KubeObject, b: KubeObject) =>
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.metadata.name === b.metadata.name &&
    a.metadata.namespace === b.metadata.namespace;
  const removeMissing = (before: KubeObject[], now: KubeObject[]) => {
    for (const o of before) {
      // CRDs stay: other environments may use the kind
      if (o.kind === 'CustomResourceDefinition') continue;
      if (!now.some(n => same(n, o))) {
        server.remove(
          o.apiVersion,
          o.kind,
          o.metadata.name,
          o.metadata.namespace,
        );
      }
    }
  };
  const sync = () => {
    let read;
    try {
      read = readRepositoryEnvironments(options.dir, options.branch);
    } catch (e) {
      options.onError?.(
        `Cannot read the GitOps repository ${options.dir}: ${
          (e as Error).message
        }`,
      );
      return;
    }
    const now = Date.now();
    const present = new Set<string>();
    for (const spec of read.specs) {
      present.add(spec.name);
      removing.delete(spec.name);
      if (!firstSeen.has(spec.name)) {
        firstSeen.set(spec.name, started ? now : -Infinity);
      }
      const age = now - firstSeen.get(spec.name)!;
      if (age < appearAfter) continue;
      const state: EnvironmentState = age >= readyAfter ? 'ready' : 'creating';
      const annotations = read.annotations.get(spec.name);
      const objects = withAnnotations(
        environmentClusterObjects(spec, state, {
          crossplane: !options.withoutCrossplane?.includes(spec.name),
        }),
        annotations,
      );
      const key = `${state}:${JSON.stringify(spec)}:${JSON.stringify([
        ...(annotations ?? []),
      ])}`;
      const before = served.get(spec.name);
      if (before?.key === key) continue;
      objects.forEach(o => server.apply(o));
      removeMissing(before?.objects ?? [], objects);
      served.set(spec.name, { key, objects });
    }
    for (const [env, before] of served) {
      if (present.has(env)) continue;
      let gone = removing.get(env);
      if (!gone) {
        // Argo CD deleted the objects: they wait for their finalizers,
        // except what carried Delete=false live (the protection synced
        // before the removal), which stays, owned by nothing.
        const kept = keptObjects(before.objects);
        gone = { at: now, kept };
        removing.set(env, gone);
        kept.forEach(o => server.apply(o));
        for (const o of before.objects) {
          if (o.kind === 'CustomResourceDefinition') continue;
          if (kept.some(k => same(k, o))) continue;
          server.apply(beingDeleted(o, now));
        }
      }
      if (now - gone.at < deletingFor) continue;
      removeMissing(before.objects, gone.kept);
      served.delete(env);
      firstSeen.delete(env);
      removing.delete(env);
    }
    started = true;
  };
  sync();
  const timer = setInterval(sync, options.pollMs ?? 1_000);
  timer.unref?.();
  return () => clearInterval(timer);
}
