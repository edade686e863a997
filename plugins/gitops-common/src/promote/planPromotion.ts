import yaml from 'yaml';
import { ConflictError, InputError } from '@backstage/errors';
import {
  ENVIRONMENTS_DIR,
  ENVIRONMENT_FILE_NAME,
  environmentFilePath,
} from '../constants';
import { generateEnvironment } from '../generator';
import {
  EnvironmentSpec,
  formatSpecIssues,
  safeParseEnvironmentSpec,
} from '../spec';
import { toYaml } from '../yaml';

/** Input of {@link planPromotion}. @public */
export interface PromotionRequest {
  /** The GitOps repository's files, path to content. */
  repo: Record<string, string>;
  /** Source environment (A): the one whose release is promoted. */
  from: string;
  /** Target environment (B): the one whose overlay changes. */
  to: string;
  /** Workloads to promote; empty or absent: every workload both deploy whose release differs. */
  workloads?: string[];
  /** Also copy A's workload config (its replicas override), not only the image tag. */
  copyConfig?: boolean;
}

/** One workload's promotion; an absent tag means the app base's tag. @public */
export interface WorkloadPromotion {
  workload: string;
  fromTag?: string;
  /** B's tag before the promotion. */
  previousTag?: string;
  /** B's replicas override before and after (only when config is copied). */
  replicas?: { before?: number; after?: number };
}

/** Result of {@link planPromotion}. @public */
export interface PromotionPlan {
  /** B's files that change, sorted by path; nothing else is touched. */
  changed: Array<{ path: string; content: string }>;
  promotions: WorkloadPromotion[];
  /** Owner of B, who reviews the change. */
  owner: string;
}

/** The environments of a repository (folders holding an environment document). @public */
export function environmentNames(repo: Record<string, string>): string[] {
  const re = new RegExp(
    `^${ENVIRONMENTS_DIR}/([^/]+)/${ENVIRONMENT_FILE_NAME.replace(
      '.',
      '\\.',
    )}$`,
  );
  return Object.keys(repo)
    .map(p => re.exec(p)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort();
}

function readSpec(
  repo: Record<string, string>,
  env: string,
  role: 'source' | 'target',
): EnvironmentSpec {
  const path = environmentFilePath(env);
  if (!(path in repo)) {
    const known = environmentNames(repo);
    throw new InputError(
      `The ${role} environment ${env} does not exist in the GitOps repository (${path} is missing); known environments: ${
        known.length > 0 ? known.join(', ') : 'none'
      }.`,
    );
  }
  let doc: unknown;
  try {
    doc = yaml.parse(repo[path]);
  } catch (e) {
    throw new ConflictError(
      `${path} is not valid YAML, fix it first: ${(e as Error).message}`,
    );
  }
  const parsed = safeParseEnvironmentSpec(
    (doc as { spec?: unknown } | null)?.spec,
  );
  if (!parsed.success) {
    throw new ConflictError(
      `${path} holds an invalid spec, fix it first: ${formatSpecIssues(
        parsed.issues,
      )}`,
    );
  }
  return parsed.spec;
}

const tagOf = (spec: EnvironmentSpec, app: string) =>
  spec.workloadOverrides?.[app]?.imageTag;
const replicasOf = (spec: EnvironmentSpec, app: string) =>
  spec.workloadOverrides?.[app]?.replicas;
const showTag = (tag: string | undefined) =>
  tag === undefined ? "the app base's tag" : `tag ${tag}`;

function differs(
  a: EnvironmentSpec,
  b: EnvironmentSpec,
  app: string,
  config: boolean,
) {
  return (
    tagOf(a, app) !== tagOf(b, app) ||
    (config && replicasOf(a, app) !== replicasOf(b, app))
  );
}

function selectWorkloads(
  a: EnvironmentSpec,
  b: EnvironmentSpec,
  requested: string[],
  config: boolean,
): string[] {
  if (requested.length === 0) {
    const both = b.workloads.filter(w => a.workloads.includes(w));
    const todo = both.filter(w => differs(a, b, w, config));
    if (todo.length === 0) {
      throw new InputError(
        both.length === 0
          ? `${a.name} and ${b.name} deploy no workload in common; there is nothing to promote.`
          : `${b.name} already runs what ${
              a.name
            } runs for every workload both deploy (${both.join(
              ', ',
            )}); there is nothing to promote.`,
      );
    }
    return todo;
  }
  for (const w of requested) {
    if (!b.workloads.includes(w)) {
      throw new InputError(
        `${b.name} does not deploy workload ${w} (it deploys ${
          b.workloads.join(', ') || 'no workload'
        }); add the workload to ${b.name} before promoting into it.`,
      );
    }
    if (!a.workloads.includes(w)) {
      throw new InputError(
        `${
          a.name
        } does not deploy workload ${w}, so it has no release of it to promote (it deploys ${
          a.workloads.join(', ') || 'no workload'
        }).`,
      );
    }
    if (!differs(a, b, w, config)) {
      throw new InputError(
        `${b.name} already runs ${w} at ${showTag(tagOf(b, w))}, as ${
          a.name
        } does${
          config ? ', with the same config' : ''
        }; there is nothing to promote.`,
      );
    }
  }
  return [...new Set(requested)];
}

/** B's spec with A's tag (and config) for the given workloads. */
function promotedSpec(
  a: EnvironmentSpec,
  b: EnvironmentSpec,
  workloads: string[],
  config: boolean,
): EnvironmentSpec {
  const overrides = { ...(b.workloadOverrides ?? {}) };
  for (const w of workloads) {
    const next = { ...(overrides[w] ?? {}) };
    next.imageTag = tagOf(a, w);
    if (config) next.replicas = replicasOf(a, w);
    const compact = Object.fromEntries(
      Object.entries(next).filter(([, v]) => v !== undefined),
    );
    if (Object.keys(compact).length > 0) overrides[w] = compact;
    else delete overrides[w];
  }
  const { workloadOverrides: _drop, ...rest } = b;
  return Object.keys(overrides).length > 0
    ? { ...rest, workloadOverrides: overrides }
    : rest;
}

/**
 * Plans promoting workloads from environment A to B: B's overlay gets A's
 * image tag (and, when asked, A's replicas override) for each workload,
 * through B's environment document and its generated workloads overlay.
 * Only the files that change are returned; a file someone edited by hand
 * since it was generated is not overwritten (ConflictError), except the
 * environment document, whose hand-added metadata is kept.
 * @throws InputError for the same environment, an unknown one, a workload B
 *   (or A) does not deploy, or nothing to promote; the repository is unchanged
 * @public
 */
export function planPromotion(request: PromotionRequest): PromotionPlan {
  const { repo, from, to } = request;
  const config = request.copyConfig ?? false;
  if (from === to) {
    throw new InputError(
      `Cannot promote from ${from} to ${to}: source and target are the same environment; choose a different target.`,
    );
  }
  const a = readSpec(repo, from, 'source');
  const b = readSpec(repo, to, 'target');
  const workloads = selectWorkloads(a, b, request.workloads ?? [], config);
  const next = promotedSpec(a, b, workloads, config);

  const oldFiles = generateEnvironment(b);
  const newFiles = generateEnvironment(next);
  const docPath = environmentFilePath(to);
  const changed: Array<{ path: string; content: string }> = [];
  for (const [path, content] of Object.entries(newFiles)) {
    if (oldFiles[path] === content) continue;
    const inRepo = repo[path];
    if (inRepo === oldFiles[path]) {
      changed.push({ path, content });
    } else if (path === docPath) {
      changed.push({
        path,
        content: toYaml({
          ...yaml.parse(inRepo),
          spec: yaml.parse(content).spec,
        }),
      });
    } else {
      throw new ConflictError(
        `${path} was edited by hand since it was generated; promoting would overwrite that edit. Promote by hand or restore the file.`,
      );
    }
  }
  changed.sort((x, y) => (x.path < y.path ? -1 : 1));
  return {
    changed,
    owner: b.owner,
    promotions: workloads.map(w => ({
      workload: w,
      fromTag: tagOf(a, w),
      previousTag: tagOf(b, w),
      ...(config
        ? { replicas: { before: replicasOf(b, w), after: replicasOf(a, w) } }
        : {}),
    })),
  };
}
