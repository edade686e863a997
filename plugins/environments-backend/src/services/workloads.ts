import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { NotFoundError } from '@backstage/errors';
import { parse, parseAllDocuments } from 'yaml';
import {
  EnvironmentWorkload,
  EnvironmentWorkloadsResponse,
  isEnvironmentEntity,
} from '@epicshelter/plugin-environments-common';
import {
  APPS_DIR,
  appBaseDir,
  environmentDir,
  renderWorkloads,
  resolveRepoPath,
  workloadsDir,
} from '@epicshelter/plugin-gitops-common';
import type { GitOpsRepository } from '@epicshelter/plugin-gitops-node';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The pod spec of a workload object, where its containers are. */
function podSpecOf(o: Obj): Obj | undefined {
  const spec = isObj(o.spec) ? o.spec : undefined;
  const holder =
    o.kind === 'CronJob' && isObj(spec?.jobTemplate)
      ? (spec!.jobTemplate as Obj).spec
      : spec;
  const template = isObj(holder) ? holder.template : undefined;
  return isObj(template) && isObj(template.spec) ? template.spec : undefined;
}

function imagesOf(podSpec: Obj): string[] {
  return ['initContainers', 'containers'].flatMap(key => {
    const list = podSpec[key];
    return Array.isArray(list)
      ? list
          .filter(isObj)
          .map(c => c.image)
          .filter((i): i is string => typeof i === 'string')
      : [];
  });
}

function kustomizationOf(
  files: Record<string, string>,
  dir: string,
): Obj | undefined {
  for (const name of [
    'kustomization.yaml',
    'kustomization.yml',
    'Kustomization',
  ]) {
    const text = files[`${dir}/${name}`];
    if (text !== undefined) {
      const value = parse(text);
      return isObj(value) ? value : undefined;
    }
  }
  return undefined;
}

/** The overlay's patches that target `kind`/`name`, as repository paths (or where an inline one is). */
function patchesFor(
  files: Record<string, string>,
  overlay: string,
  kustomization: Obj | undefined,
  kind: string,
  name: string,
): string[] {
  const out: string[] = [];
  const patches = Array.isArray(kustomization?.patches)
    ? kustomization!.patches.filter(isObj)
    : [];
  for (const p of patches) {
    const target = isObj(p.target) ? p.target : undefined;
    let targetsIt: boolean;
    if (target) {
      targetsIt =
        target.name === name && (!target.kind || target.kind === kind);
    } else {
      // No target: the patch names its object itself.
      let text: string | undefined;
      if (typeof p.path === 'string') {
        text = files[resolveRepoPath(overlay, p.path) ?? ''];
      } else if (typeof p.patch === 'string') {
        text = p.patch;
      }
      const doc = text !== undefined ? parse(text) : undefined;
      targetsIt =
        isObj(doc) &&
        isObj(doc.metadata) &&
        doc.metadata.name === name &&
        doc.kind === kind;
    }
    if (!targetsIt) continue;
    if (typeof p.path === 'string') {
      out.push(resolveRepoPath(overlay, p.path) ?? p.path);
    } else {
      out.push(`${overlay}/kustomization.yaml (inline patch)`);
    }
  }
  return out;
}

/**
 * What an environment's workloads overlay deploys, from the repository's
 * files (`apps/` and the environment's folder): each workload object with
 * its replicas and images after the overlay, the app base it comes from and
 * the overlay's patches that target it.
 */
export function describeWorkloads(
  files: Record<string, string>,
  environment: string,
): Pick<EnvironmentWorkloadsResponse, 'overlay' | 'items' | 'problems'> {
  const overlayDir = workloadsDir(environment);
  const kustomization = kustomizationOf(files, overlayDir);
  if (!kustomization) {
    return {
      overlay: `${overlayDir}/kustomization.yaml`,
      items: [],
      problems: [
        `${overlayDir} has no kustomization: the environment deploys no workloads from this repository.`,
      ],
    };
  }
  const resources = (
    Array.isArray(kustomization.resources) ? kustomization.resources : []
  )
    .filter((r): r is string => typeof r === 'string')
    .map(r => resolveRepoPath(overlayDir, r));
  const rendered = renderWorkloads(files, environment);
  const items: EnvironmentWorkload[] = [];
  for (const doc of parseAllDocuments(rendered.yaml)) {
    const o = doc.toJSON() as unknown;
    if (!isObj(o) || !isObj(o.metadata) || typeof o.kind !== 'string') continue;
    const podSpec = podSpecOf(o);
    if (!podSpec) continue;
    const name = String(o.metadata.name);
    const spec = isObj(o.spec) ? o.spec : {};
    const base = appBaseDir(name);
    items.push({
      name,
      kind: o.kind,
      ...(typeof spec.replicas === 'number' ? { replicas: spec.replicas } : {}),
      images: imagesOf(podSpec),
      ...(resources.includes(base) ? { base } : {}),
      patches: patchesFor(files, overlayDir, kustomization, o.kind, name),
    });
  }
  return {
    overlay: `${overlayDir}/kustomization.yaml`,
    items,
    problems: rendered.problems,
  };
}

/**
 * Reads an environment's workloads overlay at the head of the GitOps branch
 * (GET /environments/:name/workloads), for callers that may see the
 * environment in the catalog.
 */
export class EnvironmentWorkloadsReader {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      repository?: GitOpsRepository;
    },
  ) {}

  async read(
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentWorkloadsResponse> {
    const ref = `resource:default/${environment}`;
    const entity = await this.deps.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity || !isEnvironmentEntity(entity)) {
      throw new NotFoundError(
        `No environment ${ref} in the catalog (a Resource of type environment); is the GitOps repository read by the catalog?`,
      );
    }
    const repository = this.deps.repository;
    if (!repository) {
      throw new NotFoundError(
        'No gitops.repository configured: the workloads overlay cannot be read',
      );
    }
    const head = await repository.head();
    if (!head) {
      throw new NotFoundError(
        'The GitOps repository has no commit yet: it is created when the first environment is published',
      );
    }
    const envDir = `${environmentDir(environment)}/`;
    const files = await repository.readFiles(
      head.sha,
      undefined,
      path => path.startsWith(`${APPS_DIR}/`) || path.startsWith(envDir),
    );
    return {
      environment,
      commit: head.sha,
      ...describeWorkloads(files, environment),
    };
  }
}
