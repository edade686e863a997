import fs from 'node:fs';
import git from 'isomorphic-git';
import { parse } from 'yaml';
import type {
  ArgoCdApplication,
  ArgoCdResourceStatus,
} from '@epicshelter/plugin-argocd-common';
import {
  ENVIRONMENT_FILE_NAME,
  EnvironmentSpec,
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  PART_OF_VALUE,
  argoApplicationNames,
  crossplaneObjectsFor,
  environmentDir,
  safeParseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import type { AppSpec } from './data';

/**
 * Label the blueprint's ApplicationSets put on the applications they
 * generate: `workloads` or `infrastructure`
 * (`templates/gitops-repository/clusters/local/root/*.yaml`).
 */
export const APPLICATION_LAYER_LABEL = 'epicshelter.io/application';

/**
 * Reads the environments of the commit `oid` as the blueprint's
 * ApplicationSets do (git files generator on
 * `environments/*\/environment.yaml`): every folder whose file parses as an
 * environment spec named like the folder. Broken files are skipped, as an
 * ApplicationSet skips files it cannot template.
 */
export async function readEnvironmentSpecs(
  dir: string,
  oid: string,
  cache: object = {},
): Promise<EnvironmentSpec[]> {
  let entries;
  try {
    ({ tree: entries } = await git.readTree({
      fs,
      dir,
      oid,
      filepath: 'environments',
      cache,
    }));
  } catch {
    return []; // no environments/ folder yet
  }
  const specs: EnvironmentSpec[] = [];
  for (const entry of entries.filter(e => e.type === 'tree')) {
    let text: string;
    try {
      const { blob } = await git.readBlob({
        fs,
        dir,
        oid,
        filepath: `${environmentDir(entry.path)}/${ENVIRONMENT_FILE_NAME}`,
        cache,
      });
      text = Buffer.from(blob).toString('utf8');
    } catch {
      continue;
    }
    let doc: { metadata?: { name?: unknown }; spec?: unknown } | undefined;
    try {
      doc = parse(text);
    } catch {
      continue;
    }
    const parsed = safeParseEnvironmentSpec(doc?.spec);
    if (
      parsed.success &&
      parsed.spec.name === entry.path &&
      doc?.metadata?.name === entry.path
    ) {
      specs.push(parsed.spec);
    }
  }
  return specs;
}

/**
 * The two applications the blueprint's ApplicationSets generate for an
 * environment: `<env>-workloads` (ApplicationSet `workloads`, path
 * `environments/<env>/workloads`) and `<env>-infrastructure` (ApplicationSet
 * `infrastructure`), with the labels of their templates and, as managed
 * resources, the namespace and Crossplane objects the environment declares
 * and a Deployment and Service per workload.
 */
export function environmentAppSpecs(spec: EnvironmentSpec): AppSpec[] {
  const env = spec.name;
  const names = argoApplicationNames(env);
  const labels = (layer: string) => ({
    [LABEL_PART_OF]: PART_OF_VALUE,
    [LABEL_ENVIRONMENT]: env,
    [APPLICATION_LAYER_LABEL]: layer,
  });
  const synced = { status: 'Synced', health: { status: 'Healthy' } };
  const infrastructure: ArgoCdResourceStatus[] = [
    { version: 'v1', kind: 'Namespace', name: env, ...synced },
    ...crossplaneObjectsFor(spec).map(o => {
      const [group, version] = o.apiVersion.split('/');
      return {
        group,
        version,
        kind: o.kind,
        namespace: o.namespace,
        name: o.name,
        ...synced,
      };
    }),
  ];
  const workloads: ArgoCdResourceStatus[] = spec.workloads.flatMap(w => [
    { version: 'v1', kind: 'Service', namespace: env, name: w, ...synced },
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: env,
      name: w,
      ...synced,
    },
  ]);
  return (['infrastructure', 'workloads'] as const).map(layer => ({
    name: names[layer],
    labels: labels(layer),
    path: `${environmentDir(env)}/${layer}`,
    destinationNamespace: env,
    project: 'environments',
    applicationSet: layer,
    layer,
    resources: layer === 'workloads' ? workloads : infrastructure,
  }));
}

/** Where a newly generated application is on its way to Synced/Healthy. */
export type SyncProgress = 'out-of-sync' | 'syncing' | 'synced';

/** How long a new application stays OutOfSync/Missing before its sync starts. */
export const OUT_OF_SYNC_MS = 2_000;
/** How long after it appeared a new application is Synced/Healthy. */
export const SYNCED_AFTER_MS = 6_000;

/** The progress of an application that appeared `ageMs` ago. */
export function syncProgressAt(ageMs: number): SyncProgress {
  if (ageMs < OUT_OF_SYNC_MS) return 'out-of-sync';
  if (ageMs < SYNCED_AFTER_MS) return 'syncing';
  return 'synced';
}

const iso = (ms: number) =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * How long the application of an environment removed from the repository
 * stays, being deleted, before it is gone: its ApplicationSet deleted it, and
 * the resources finalizer makes Argo CD delete its resources first.
 */
export const PRUNED_AFTER_MS = 4_000;
/**
 * The finalizer the ApplicationSet controller puts on the applications it
 * generates (unless `preserveResourcesOnDeletion`): deleting one deletes its
 * resources first.
 */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * An application whose deletion was requested at `removedAt`: a
 * deletionTimestamp and the resources finalizer, health Progressing while
 * Argo CD deletes its resources.
 */
export function withDeletion(
  app: ArgoCdApplication,
  removedAt: number,
): ArgoCdApplication {
  return {
    ...app,
    metadata: {
      ...app.metadata,
      deletionTimestamp: iso(removedAt),
      finalizers: [RESOURCES_FINALIZER],
    },
    status: {
      ...app.status,
      health: {
        status: 'Progressing',
        message: `deleting: its environment is gone from the repository; Argo CD deletes its resources (${RESOURCES_FINALIZER}) before the application`,
      },
    },
  };
}

/**
 * Turns a built (Synced/Healthy) application into what Argo CD shows before
 * its first sync finished: OutOfSync with Missing resources and no history,
 * then a running automated sync operation with Progressing health. A
 * `synced` application is returned unchanged.
 */
export function withSyncProgress(
  app: ArgoCdApplication,
  progress: SyncProgress,
  startedAt: number,
): ArgoCdApplication {
  if (progress === 'synced' || !app.status) return app;
  const health = progress === 'syncing' ? 'Progressing' : 'Missing';
  const resources = (app.status.resources ?? []).map(r => ({
    ...r,
    status: 'OutOfSync',
    health: { status: health },
  }));
  const revision = app.status.sync?.revision;
  const status: NonNullable<ArgoCdApplication['status']> = {
    ...app.status,
    resources,
    sync: { ...app.status.sync, status: 'OutOfSync' },
    health: {
      status: health,
      message:
        progress === 'syncing'
          ? 'waiting for the first sync to finish'
          : 'the resources of this application do not exist yet',
    },
    history: [],
  };
  if (progress === 'syncing') {
    status.operationState = {
      operation: {
        sync: { ...(revision ? { revision } : {}), syncStrategy: { hook: {} } },
        initiatedBy: { automated: true },
        retry: { limit: 5 },
      },
      phase: 'Running',
      message: 'waiting for healthy state of the resources',
      startedAt: iso(startedAt),
    };
  } else {
    delete status.operationState;
  }
  return { ...app, status };
}
