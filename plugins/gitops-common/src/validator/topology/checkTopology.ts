import { cloudClusterDir, environmentFilePath } from '../../constants';
import { CLOUD_CLUSTER_REQUIRED } from '../../spec';
import type { ValidationIssue } from '../validateRepository';
import {
  ApplyingApplication,
  ClusterTopology,
  Placement,
  RepositoryTopology,
  TopologyOptions,
  cascades,
  computeTopology,
  isPlatformComposite,
} from './topology';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
]);

/** A Secret a workload reads, and the field that names it. */
interface SecretRef {
  name: string;
  /** JSON path inside the workload object. */
  path: string;
}

function podSpecOf(o: Obj): { spec: Obj; path: string } | undefined {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec) return undefined;
  if (o.kind === 'Pod') return { spec, path: '$.spec' };
  if (o.kind === 'CronJob') {
    const job = isObj(spec.jobTemplate) ? spec.jobTemplate : {};
    const t =
      isObj(job.spec) && isObj(job.spec.template) ? job.spec.template : {};
    return isObj(t.spec)
      ? { spec: t.spec, path: '$.spec.jobTemplate.spec.template.spec' }
      : undefined;
  }
  const t = isObj(spec.template) ? spec.template : {};
  return isObj(t.spec)
    ? { spec: t.spec, path: '$.spec.template.spec' }
    : undefined;
}

/** Every Secret a workload's pod template reads (envFrom, env, volumes). */
export function secretReferences(o: Obj): SecretRef[] {
  const pod = podSpecOf(o);
  if (!pod) return [];
  const refs: SecretRef[] = [];
  for (const list of ['initContainers', 'containers']) {
    const containers = Array.isArray(pod.spec[list]) ? pod.spec[list] : [];
    containers.forEach((c: unknown, ci: number) => {
      if (!isObj(c)) return;
      const at = `${pod.path}.${list}[${ci}]`;
      (Array.isArray(c.envFrom) ? c.envFrom : []).forEach(
        (e: unknown, ei: number) => {
          if (
            isObj(e) &&
            isObj(e.secretRef) &&
            typeof e.secretRef.name === 'string'
          ) {
            refs.push({
              name: e.secretRef.name,
              path: `${at}.envFrom[${ei}].secretRef.name`,
            });
          }
        },
      );
      (Array.isArray(c.env) ? c.env : []).forEach((e: unknown, ei: number) => {
        const from = isObj(e) && isObj(e.valueFrom) ? e.valueFrom : {};
        if (
          isObj(from.secretKeyRef) &&
          typeof from.secretKeyRef.name === 'string'
        ) {
          refs.push({
            name: from.secretKeyRef.name,
            path: `${at}.env[${ei}].valueFrom.secretKeyRef.name`,
          });
        }
      });
    });
  }
  (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).forEach(
    (v: unknown, vi: number) => {
      if (
        isObj(v) &&
        isObj(v.secret) &&
        typeof v.secret.secretName === 'string'
      ) {
        refs.push({
          name: v.secret.secretName,
          path: `${pod.path}.volumes[${vi}].secret.secretName`,
        });
      }
    },
  );
  return refs;
}

function describe(p: Placement): string {
  const m = isObj(p.value.metadata) ? p.value.metadata : {};
  const ns = typeof m.namespace === 'string' ? `${m.namespace}/` : '';
  return `${String(p.value.kind)} ${ns}${String(m.name)}`;
}

function where(c: ClusterTopology): string {
  return `cluster ${c.cluster.id} (${c.cluster.root})`;
}

function through(app: ApplyingApplication | undefined): string {
  if (!app) return 'its root folder';
  return app.appSet
    ? `Application ${app.name} of ApplicationSet ${app.appSet.name}`
    : `Application ${app.name}`;
}

/** The file a placement's field was last written in (a patch, or its own file). */
function fileOf(p: Placement): string {
  return p.patchedBy[p.patchedBy.length - 1] ?? p.file;
}

/** The field of an Application or ApplicationSet that decides what it applies. */
function applyingField(app: ApplyingApplication): string {
  return app.appSet
    ? `$.spec.generators[${app.appSet.generatorIndex}]`
    : '$.spec.source.path';
}

function selectorPath(p: Placement): string {
  const spec = isObj(p.value.spec) ? p.value.spec : {};
  return isObj(spec.crossplane)
    ? '$.spec.crossplane.compositionSelector.matchLabels'
    : '$.spec.compositionSelector.matchLabels';
}

function keyOf(p: Placement): string {
  const m = isObj(p.value.metadata) ? p.value.metadata : {};
  return `${String(p.value.apiVersion)}|${String(p.value.kind)}|${String(
    m.namespace,
  )}|${String(m.name)}`;
}

/**
 * Checks a computed topology:
 * - an XR or claim that manages cloud resources is reconciled by one cluster
 *   only (others may only create once or observe);
 * - a local cluster reconciles nothing of a cloud environment except the
 *   bootstrap and observe XRs (and their namespace);
 * - every Secret a workload reads is produced in its own cluster (a Secret
 *   object, or a connection Secret of an XR or claim there);
 * - nothing a local cluster applies for a cloud environment cascades: no
 *   resources finalizer, ApplicationSets with preserveResourcesOnDeletion,
 *   Compositions that never Delete.
 * @public
 */
export function checkComputedTopology(
  t: RepositoryTopology,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const cloudEnvs = new Set(
    t.environments.filter(e => e.target === 'cloud').map(e => e.name),
  );
  const add = (
    file: string,
    documentIndex: number,
    path: string,
    message: string,
  ) => issues.push({ file, documentIndex, path, message });

  // 0. A cloud environment runs in its own cluster: without one (no
  // resources.kubernetesCluster, or no environments/<env>/cluster root)
  // nothing runs its infrastructure and workloads.
  for (const e of t.environments) {
    if (e.target !== 'cloud') continue;
    if (t.clusters.some(c => c.cluster.environment === e.name)) continue;
    add(
      environmentFilePath(e.name),
      0,
      '$.spec.resources.kubernetesCluster',
      `cloud environment "${e.name}" runs in no cluster: ${
        e.hasCluster
          ? `its cluster root ${cloudClusterDir(e.name)} has no kustomization`
          : CLOUD_CLUSTER_REQUIRED
      }`,
    );
  }

  // 1. One reconciler per cloud resource (platform XRs and claims, and
  // cloud managed resources applied directly).
  const managers = new Map<
    string,
    Array<{ c: ClusterTopology; p: Placement }>
  >();
  for (const c of t.clusters) {
    for (const p of c.placements) {
      if (p.effect?.mode === 'manages' && p.effect.external) {
        const k = keyOf(p);
        managers.set(k, [...(managers.get(k) ?? []), { c, p }]);
      }
    }
  }
  for (const list of managers.values()) {
    const clusters = [...new Set(list.map(x => x.c.cluster.id))];
    if (clusters.length < 2) continue;
    for (const { c, p } of list
      .filter(x => x.c.cluster.kind === 'local')
      .concat(list.filter(x => x.c.cluster.kind === 'cloud').slice(1))) {
      const composite = isPlatformComposite(p.value);
      add(
        fileOf(p),
        p.patchedBy.length > 0 ? -1 : p.documentIndex,
        composite ? selectorPath(p) : '$.spec.managementPolicies',
        `${describe(p)} manages cloud resources in ${
          clusters.length
        } clusters (${clusters.join(', ')}); in ${where(c)}, through ${through(
          p.via,
        )}, ${
          composite
            ? `it selects Compositions ${
                p.effect!.compositions.join(', ') || '(none)'
              }, which create and update`
            : 'its management policies create and update'
        }; only one cluster may reconcile it, the others may only create once or observe (cluster-role bootstrap or observe, managementPolicies without Update)`,
      );
    }
  }

  for (const c of t.clusters) {
    // 2. and 4.: what a cluster applies of a cloud environment not its own
    // (a local cluster, or another environment's cloud cluster).
    {
      const byApp = new Map<string, Placement[]>();
      const apps = new Map<string, ApplyingApplication | undefined>();
      for (const p of c.placements) {
        if (!p.environment || !cloudEnvs.has(p.environment)) continue;
        if (p.environment === c.cluster.environment) continue;
        const key = `${p.via?.file}#${p.via?.name}|${p.environment}`;
        apps.set(key, p.via);
        byApp.set(key, [...(byApp.get(key) ?? []), p]);
      }
      for (const [key, list] of byApp) {
        const app = apps.get(key);
        const env = list[0].environment!;
        const reconciled = list.filter(
          p =>
            p.value.kind !== 'Namespace' &&
            !String(p.value.apiVersion).startsWith('argoproj.io/') &&
            !(p.effect && p.effect.mode !== 'manages'),
        );
        if (reconciled.length > 0) {
          const names = reconciled
            .slice(0, 3)
            .map(p => `${describe(p)} (${p.file})`);
          const more =
            reconciled.length > 3 ? ` and ${reconciled.length - 3} more` : '';
          add(
            app?.file ?? reconciled[0].file,
            app?.documentIndex ?? reconciled[0].documentIndex,
            app ? applyingField(app) : '$',
            `${through(app)} makes ${where(c)} reconcile ${names.join(
              ', ',
            )}${more} of cloud environment "${env}"; after bootstrap only that environment's own cluster (environments/${env}/cluster) may reconcile them`,
          );
        }
        // Bootstrap objects live in local clusters; they must not cascade.
        if (!app || c.cluster.kind !== 'local') continue;
        const outside = list.filter(p => p.value.kind !== 'Namespace');
        if (outside.length === 0) continue;
        if (cascades(app)) {
          add(
            app.file,
            app.documentIndex,
            app.appSet
              ? '$.spec.template.metadata.finalizers'
              : '$.metadata.finalizers',
            `${through(app)} in ${where(c)} carries the ${app.finalizers.join(
              ', ',
            )} finalizer: deleting it deletes ${describe(
              outside[0],
            )} of cloud environment "${env}"; bootstrap Applications must not cascade`,
          );
        }
        if (app.appSet && !app.appSet.preserveResources) {
          add(
            app.file,
            app.documentIndex,
            '$.spec.syncPolicy.preserveResourcesOnDeletion',
            `ApplicationSet ${app.appSet.name} in ${where(
              c,
            )} applies ${describe(
              outside[0],
            )} of cloud environment "${env}" without preserveResourcesOnDeletion: true; deleting it would delete them through its Applications' resources finalizer`,
          );
        }
        for (const p of list) {
          const d = p.effect?.deletingResource;
          if (p.effect?.external && d) {
            add(
              d.file,
              -1,
              d.path,
              `${
                p.effect.compositions.length > 0 ? 'composed' : 'managed'
              } resource "${
                d.name
              }" may be deleted (no managementPolicies, or "*" or "Delete"): ${describe(
                p,
              )} (${fileOf(
                p,
              )}) of cloud environment "${env}", applied by ${where(
                c,
              )} through ${through(
                app,
              )}, would delete cloud resources when that cluster or Application goes; the bootstrap and observe Compositions must not Delete`,
            );
          }
        }
      }
    }

    // A local cluster's Argo CD deploying into another cluster.
    if (c.cluster.kind === 'local') {
      for (const app of c.applications.filter(a => a.remoteDestination)) {
        add(
          app.file,
          app.documentIndex,
          app.appSet
            ? '$.spec.template.spec.destination'
            : '$.spec.destination',
          `${through(app)} in ${where(c)} deploys to another cluster (${
            app.remoteDestination
          }); a local cluster reconciles only itself, a cloud cluster's own Argo CD applies what runs there`,
        );
      }
    }

    // 3. Secrets read in a cluster are produced there.
    const produced = new Set<string>();
    for (const p of c.placements) {
      const m = isObj(p.value.metadata) ? p.value.metadata : {};
      if (p.value.kind === 'Secret' && p.value.apiVersion === 'v1') {
        produced.add(`${String(m.namespace ?? '')}/${String(m.name)}`);
      }
      for (const s of p.effect?.secrets ?? []) produced.add(s);
    }
    for (const p of c.placements) {
      if (!WORKLOAD_KINDS.has(String(p.value.kind))) continue;
      const m = isObj(p.value.metadata) ? p.value.metadata : {};
      for (const ref of secretReferences(p.value)) {
        const key = `${String(m.namespace ?? '')}/${ref.name}`;
        if (produced.has(key)) continue;
        const elsewhere = t.clusters
          .filter(
            o =>
              o !== c &&
              o.placements.some(q => q.effect?.secrets.includes(key)),
          )
          .map(o => o.cluster.id);
        add(
          fileOf(p),
          p.patchedBy.length > 0 ? -1 : p.documentIndex,
          ref.path,
          `${describe(p)} reads Secret ${key}, which nothing in ${where(
            c,
          )} produces${
            elsewhere.length > 0
              ? ` (it is written in ${elsewhere.join(', ')})`
              : ''
          }; the Crossplane of the cluster that runs a workload must write its connection Secrets`,
        );
      }
    }
  }
  return issues;
}

/**
 * Computes the repository's topology ({@link computeTopology}) and checks it
 * ({@link checkComputedTopology}).
 * @public
 */
export function checkTopology(
  files: Record<string, string>,
  options: TopologyOptions = {},
): ValidationIssue[] {
  return checkComputedTopology(computeTopology(files, options));
}
