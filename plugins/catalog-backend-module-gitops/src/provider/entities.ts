import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_VIEW_URL,
  Entity,
  EntityLink,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ENVIRONMENT_API_VERSION,
  ENVIRONMENT_FILE_NAME,
  ENVIRONMENT_KIND,
  EnvironmentSpec,
  LABEL_ENVIRONMENT,
  LABEL_RESOURCE,
  argoApplicationNames,
  crossplaneObjectsFor,
  environmentDir,
  formatSpecIssues,
  safeParseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import {
  ANNOTATION_ARGOCD_APPLICATIONS,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_CROSSPLANE_NAMESPACE,
  ANNOTATION_CROSSPLANE_SELECTOR,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_GITOPS_BRANCH,
  ANNOTATION_GITOPS_CHANGE_BRANCH,
  ANNOTATION_GITOPS_ERROR,
  ANNOTATION_GITOPS_PATH,
  ANNOTATION_GITOPS_REPOSITORY,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ArgoCdInstancesByTarget,
  DEFAULT_ARGOCD_INSTANCES_BY_TARGET,
  ENVIRONMENT_RESOURCE_TYPE,
  EnvironmentEntitySpec,
  EnvironmentResourceSummary,
  LABEL_PROVIDER,
  LABEL_TARGET,
} from '@epicshelter/plugin-environments-common';
import { parseDocument } from 'yaml';
import type { JsonObject } from '@backstage/types';

/**
 * The System environments belong to unless
 * `catalog.providers.epicshelterGitops.system` names another. @public
 */
export const DEFAULT_ENVIRONMENTS_SYSTEM = 'environments';

/** How the entities of environments are placed in the catalog. @public */
export interface EnvironmentCatalogOptions {
  /** Name of the System every environment and its resources belong to. */
  system: string;
}

const DEFAULT_CATALOG_OPTIONS: EnvironmentCatalogOptions = {
  system: DEFAULT_ENVIRONMENTS_SYSTEM,
};

/** Where the repository lives, as the entities need it for annotations and links. @public */
export interface RepositoryDescription {
  /** `github`, `gitlab` or `local`. */
  kind: 'github' | 'gitlab' | 'local';
  /** The repository URL (`https://<host>/<path>`) or the absolute local path. */
  location: string;
  /** The branch the catalog reads. */
  branch: string;
  /** Prefix of the branches the scaffolder proposes changes on. */
  branchPrefix: string;
  /** Argo CD UIs to link the applications in (`name`, base URL). */
  argoCdUrls?: Array<{ name: string; url: string }>;
  /**
   * The Argo CD instance of each target's cluster
   * (`epicshelter.environments.argocdInstances`): an environment links
   * only the instance of its target. Default `{ local: local, cloud: cloud }`.
   */
  argoCdInstancesByTarget?: ArgoCdInstancesByTarget;
}

const ENTITY_NAME = /^[a-zA-Z0-9](?:[-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;

/** A repository with web pages (GitHub or GitLab). */
const hosted = (repo: RepositoryDescription) => repo.kind !== 'local';

function fileUrl(repo: RepositoryDescription, path: string, dir: boolean) {
  if (hosted(repo)) {
    const page = dir ? 'tree' : 'blob';
    return `${repo.location}/${repo.kind === 'gitlab' ? `-/${page}` : page}/${
      repo.branch
    }/${path}`;
  }
  return `${repo.location}/${path}${dir ? '/' : ''}`;
}

/**
 * Location type of entities read from a local repository: their targets are
 * paths inside the repository, so no server path reaches a page.
 * @public
 */
export const LOCAL_LOCATION_TYPE = 'epicshelter-gitops';

function locationRef(repo: RepositoryDescription, path: string, dir: boolean) {
  if (hosted(repo)) {
    return `url:${fileUrl(repo, path, dir)}${dir ? '/' : ''}`;
  }
  return `${LOCAL_LOCATION_TYPE}:${path}${dir ? '/' : ''}`;
}

/**
 * How an entity names its repository: the GitHub URL, or for a local one
 * only the folder's name (`local:<name>`), never its path on the server.
 */
function repositoryName(repo: RepositoryDescription): string {
  if (hosted(repo)) return repo.location;
  const name = repo.location
    .replace(/[\\/]+$/, '')
    .split(/[\\/]/)
    .pop();
  return `local:${name || 'repository'}`;
}

function commonAnnotations(
  repo: RepositoryDescription,
  env: string,
): Record<string, string> {
  const specFile = `${environmentDir(env)}/${ENVIRONMENT_FILE_NAME}`;
  const annotations: Record<string, string> = {
    [ANNOTATION_LOCATION]: locationRef(repo, specFile, false),
    [ANNOTATION_ORIGIN_LOCATION]: locationRef(repo, specFile, false),
    [ANNOTATION_ENVIRONMENT]: env,
    [ANNOTATION_GITOPS_REPOSITORY]: repositoryName(repo),
    [ANNOTATION_GITOPS_BRANCH]: repo.branch,
    [ANNOTATION_GITOPS_PATH]: environmentDir(env),
    [ANNOTATION_GITOPS_CHANGE_BRANCH]: `${repo.branchPrefix}${env}`,
  };
  if (hosted(repo)) {
    // "View source" links; a local repository has no page to link to.
    annotations[ANNOTATION_SOURCE_LOCATION] = locationRef(
      repo,
      environmentDir(env),
      true,
    );
    annotations[ANNOTATION_VIEW_URL] = fileUrl(repo, specFile, false);
  }
  return annotations;
}

function environmentLinks(
  repo: RepositoryDescription,
  env: string,
  target: string,
  apps: { workloads: string; infrastructure: string },
): EntityLink[] {
  const links: EntityLink[] = [];
  const changeBranch = `${repo.branchPrefix}${env}`;
  if (repo.kind === 'github') {
    links.push({
      url: fileUrl(repo, environmentDir(env), true),
      title: 'GitOps folder',
      icon: 'github',
      type: 'gitops-folder',
    });
    links.push({
      url: `${repo.location}/pulls?q=${encodeURIComponent(
        `is:pr head:${changeBranch}`,
      )}`,
      title: 'Pull requests',
      icon: 'github',
      type: 'gitops-pull-requests',
    });
  } else if (repo.kind === 'gitlab') {
    links.push({
      url: fileUrl(repo, environmentDir(env), true),
      title: 'GitOps folder',
      type: 'gitops-folder',
    });
    links.push({
      url: `${
        repo.location
      }/-/merge_requests?scope=all&state=all&source_branch=${encodeURIComponent(
        changeBranch,
      )}`,
      title: 'Merge requests',
      type: 'gitops-pull-requests',
    });
  }
  // Only the Argo CD of the cluster that runs the environment.
  const instance = (repo.argoCdInstancesByTarget ??
    DEFAULT_ARGOCD_INSTANCES_BY_TARGET)[target];
  for (const argo of (repo.argoCdUrls ?? []).filter(a => a.name === instance)) {
    const base = argo.url.replace(/\/+$/, '');
    for (const [layer, app] of Object.entries(apps)) {
      links.push({
        url: `${base}/applications/argocd/${encodeURIComponent(app)}`,
        title: `Argo CD ${argo.name}: ${layer}`,
        icon: 'dashboard',
        type: 'argocd-application',
      });
    }
  }
  return links;
}

function resourceDetails(
  spec: EnvironmentSpec,
  type: string,
  resource: string,
): Record<string, string | number | boolean> {
  const r = spec.resources;
  const find = <T extends { name: string }>(list: T[]) =>
    list.find(item => item.name === resource);
  switch (type) {
    case 'database': {
      const d = find(r.databases);
      return d ? { engine: d.engine, version: d.version, size: d.size } : {};
    }
    case 'cache': {
      const c = find(r.caches);
      return c ? { engine: c.engine, version: c.version, size: c.size } : {};
    }
    case 'bucket': {
      const b = find(r.buckets);
      return b ? { versioning: b.versioning } : {};
    }
    case 'kubernetes-cluster': {
      const k = r.kubernetesCluster;
      return k
        ? { version: k.version, nodeSize: k.nodeSize, nodeCount: k.nodeCount }
        : {};
    }
    default:
      return {};
  }
}

/**
 * The catalog entities of one valid environment: a `Resource` of type
 * `environment` plus one `Resource` per declared database, bucket, cache and
 * cluster, each `dependencyOf` the environment, all in the environments'
 * System. The environment itself is `dependencyOf` every workload component
 * it deploys, and so is every database, bucket and cache (the generator
 * hands each workload the connection Secrets of all of them), so a
 * component's page shows the resources it uses.
 * @public
 */
export function environmentEntities(
  spec: EnvironmentSpec,
  repo: RepositoryDescription,
  options: EnvironmentCatalogOptions = DEFAULT_CATALOG_OPTIONS,
): Entity[] {
  const env = spec.name;
  const workloadRefs = spec.workloads.map(w =>
    stringifyEntityRef({ kind: 'Component', namespace: 'default', name: w }),
  );
  const envRef = stringifyEntityRef({
    kind: 'Resource',
    namespace: 'default',
    name: env,
  });
  const apps = argoApplicationNames(env);
  const annotations = commonAnnotations(repo, env);
  const objects = crossplaneObjectsFor(spec);
  const resources: EnvironmentResourceSummary[] = objects.map(o => ({
    type: o.resourceType,
    name: o.resource,
    entityRef: stringifyEntityRef({
      kind: 'Resource',
      namespace: 'default',
      name: `${env}-${o.resource}`,
    }),
    crossplane: {
      apiVersion: o.apiVersion,
      kind: o.kind,
      namespace: o.namespace,
      name: o.name,
    },
    details: resourceDetails(spec, o.resourceType, o.resource),
  }));
  const environmentSpec: EnvironmentEntitySpec = {
    target: spec.target,
    provider: spec.provider,
    ...(spec.region !== undefined ? { region: spec.region } : {}),
    crossplaneApi: spec.crossplaneApi,
    workloads: spec.workloads.map(name => ({
      name,
      ...(spec.workloadOverrides?.[name] ?? {}),
    })),
    resources,
    applications: apps,
    ...(spec.expiry ? { expiry: spec.expiry } : {}),
  };
  const tags = ['environment', spec.target];
  if (spec.provider !== spec.target) tags.push(spec.provider);
  const environment: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: env,
      namespace: 'default',
      title: env,
      description:
        spec.description ??
        `${spec.target === 'local' ? 'Local' : 'Cloud'} environment on ${
          spec.provider
        }${spec.region ? ` (${spec.region})` : ''}`,
      labels: { [LABEL_TARGET]: spec.target, [LABEL_PROVIDER]: spec.provider },
      tags,
      annotations: {
        ...annotations,
        [ANNOTATION_ARGOCD_APP_SELECTOR]: `${LABEL_ENVIRONMENT}=${env}`,
        [ANNOTATION_ARGOCD_APPLICATIONS]: `${apps.workloads},${apps.infrastructure}`,
        [ANNOTATION_CROSSPLANE_NAMESPACE]: env,
        [ANNOTATION_KUBERNETES_NAMESPACE]: env,
        [ANNOTATION_KUBERNETES_LABEL_SELECTOR]: `${LABEL_ENVIRONMENT}=${env}`,
      },
      links: environmentLinks(repo, env, spec.target, apps),
    },
    spec: {
      type: ENVIRONMENT_RESOURCE_TYPE,
      owner: spec.owner,
      system: options.system,
      dependsOn: resources.map(r => r.entityRef),
      dependencyOf: workloadRefs,
      // A plain JSON object; the interface documents its shape.
      environment: environmentSpec as unknown as JsonObject,
    },
  };
  const children: Entity[] = objects.map((o, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `${env}-${o.resource}`,
      namespace: 'default',
      title: `${o.resource} (${env})`,
      description: `${o.kind} ${o.resource} of environment ${env}`,
      labels: { [LABEL_TARGET]: spec.target, [LABEL_PROVIDER]: spec.provider },
      tags: [o.resourceType, spec.provider],
      annotations: {
        ...annotations,
        ...(hosted(repo)
          ? { [ANNOTATION_SOURCE_LOCATION]: locationRef(repo, o.file, false) }
          : {}),
        [ANNOTATION_CROSSPLANE_SELECTOR]: `${LABEL_ENVIRONMENT}=${env},${LABEL_RESOURCE}=${o.resource}`,
        [ANNOTATION_CROSSPLANE_NAMESPACE]: o.namespace,
      },
    },
    spec: {
      type: o.resourceType,
      owner: spec.owner,
      system: options.system,
      // The cluster runs the environment; the others serve its workloads.
      dependencyOf:
        o.resourceType === 'kubernetes-cluster'
          ? [envRef]
          : [envRef, ...workloadRefs],
      crossplane: resources[i].crossplane,
      details: resources[i].details,
    },
  }));
  return [environment, ...children];
}

/**
 * The entity of an environment whose `environment.yaml` is broken. It carries
 * the problem in the `epicshelter.io/gitops-error` annotation, which the
 * module's processor turns into a catalog processing error on this entity
 * only. Returns undefined when the folder name cannot be an entity name.
 * @public
 */
export function brokenEnvironmentEntity(
  env: string,
  message: string,
  repo: RepositoryDescription,
  owner?: string,
  options: EnvironmentCatalogOptions = DEFAULT_CATALOG_OPTIONS,
): Entity | undefined {
  if (!ENTITY_NAME.test(env)) {
    return undefined;
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: env,
      namespace: 'default',
      annotations: {
        ...commonAnnotations(repo, env),
        [ANNOTATION_GITOPS_ERROR]: message,
      },
    },
    spec: {
      type: ENVIRONMENT_RESOURCE_TYPE,
      owner: owner ?? 'unknown',
      system: options.system,
    },
  };
}

/** Outcome of reading one `environment.yaml`. @public */
export type ParsedEnvironmentFile =
  | { ok: true; spec: EnvironmentSpec }
  | { ok: false; message: string; owner?: string };

/**
 * Parses `environments/<dir>/environment.yaml`: one YAML document of
 * `apiVersion: epicshelter.io/v1alpha1`, `kind: Environment`, whose
 * `metadata.name` and `spec.name` equal the folder name and whose spec
 * passes the environment spec schema. `content` undefined means the folder
 * has no `environment.yaml`.
 * @public
 */
export function parseEnvironmentFile(
  dir: string,
  content: string | undefined,
): ParsedEnvironmentFile {
  const file = `${environmentDir(dir)}/${ENVIRONMENT_FILE_NAME}`;
  if (content === undefined) {
    return {
      ok: false,
      message: `${file} is missing: every folder under environments/ needs an ${ENVIRONMENT_FILE_NAME}; remove the folder or add the file`,
    };
  }
  const doc = parseDocument(content, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      message: `${file} is not valid YAML: ${doc.errors[0].message}`,
    };
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: `${file} must hold one YAML mapping` };
  }
  const obj = value as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown };
    spec?: unknown;
  };
  const rawOwner = (obj.spec as { owner?: unknown } | undefined)?.owner;
  const owner = typeof rawOwner === 'string' && rawOwner ? rawOwner : undefined;
  const fail = (message: string): ParsedEnvironmentFile => ({
    ok: false,
    message: `${file}: ${message}`,
    owner,
  });
  if (
    obj.apiVersion !== ENVIRONMENT_API_VERSION ||
    obj.kind !== ENVIRONMENT_KIND
  ) {
    return fail(
      `unknown kind ${JSON.stringify(obj.kind)} of apiVersion ${JSON.stringify(
        obj.apiVersion,
      )}; expected apiVersion ${ENVIRONMENT_API_VERSION}, kind ${ENVIRONMENT_KIND}`,
    );
  }
  if (obj.metadata?.name !== dir) {
    return fail(
      `metadata.name ${JSON.stringify(
        obj.metadata?.name,
      )} must equal the folder name "${dir}"`,
    );
  }
  const parsed = safeParseEnvironmentSpec(obj.spec);
  if (!parsed.success) {
    return fail(`invalid environment spec: ${formatSpecIssues(parsed.issues)}`);
  }
  if (parsed.spec.name !== dir) {
    return fail(
      `spec.name "${parsed.spec.name}" must equal the folder name "${dir}"`,
    );
  }
  return { ok: true, spec: parsed.spec };
}

/** The entities of one environment folder, valid or broken. @public */
export function entitiesForEnvironmentFile(
  dir: string,
  content: string | undefined,
  repo: RepositoryDescription,
  options: EnvironmentCatalogOptions = DEFAULT_CATALOG_OPTIONS,
): { entities: Entity[]; error?: string } {
  const parsed = parseEnvironmentFile(dir, content);
  if (parsed.ok) {
    return { entities: environmentEntities(parsed.spec, repo, options) };
  }
  const broken = brokenEnvironmentEntity(
    dir,
    parsed.message,
    repo,
    parsed.owner,
    options,
  );
  return { entities: broken ? [broken] : [], error: parsed.message };
}

/**
 * The System the environments belong to, emitted by the provider so the
 * catalog graph of an environment ends in a page that lists them all.
 * @public
 */
export function environmentsSystemEntity(
  system: { name: string; owner: string; title?: string },
  repo: RepositoryDescription,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: system.name,
      namespace: 'default',
      title: system.title ?? 'Environments',
      description:
        'The environments of the GitOps repository, each with the databases, caches, buckets and clusters it declares',
      annotations: {
        [ANNOTATION_LOCATION]: locationRef(repo, 'environments', true),
        [ANNOTATION_ORIGIN_LOCATION]: locationRef(repo, 'environments', true),
        [ANNOTATION_GITOPS_REPOSITORY]: repositoryName(repo),
      },
      tags: ['environments', 'gitops'],
    },
    spec: { owner: system.owner },
  };
}
