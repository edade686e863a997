import yaml from 'yaml';
import { ConflictError, InputError } from '@backstage/errors';
import {
  argoApplicationNames,
  environmentDir,
  environmentFilePath,
} from '../constants';
import { basenameOf, isInside } from '../paths';
import { formatSpecIssues, safeParseEnvironmentSpec } from '../spec';
import { environmentNames } from '../promote/planPromotion';
import {
  ValidationIssue,
  parseRepositoryDocuments,
  validateRepository,
} from '../validator/validateRepository';
import { buildPlatformIndex } from '../validator/rules/platformIndex';
import { toYaml } from '../yaml';
import {
  DecommissionResource,
  environmentResources,
} from './environmentResources';
import { referencesOutside } from './environmentReferences';
import {
  ProtectedObject,
  objectsToProtect,
  orphanMarks,
  orphansMarkedIn,
  protectionChange,
} from './protectOrphans';

/**
 * Folder of the repository that keeps, per decommissioned environment, the
 * composite resources its owner chose to orphan: `orphaned/<env>/<file>`.
 * No Argo CD Application syncs it; it records what was kept and how to find
 * the cloud resource again.
 * @public
 */
export const ORPHANED_DIR = 'orphaned';

/**
 * Which change a decommission makes now. Without orphans it is one change,
 * `remove`. With orphans it is two: first `protect` marks the orphaned XRs
 * or claims (and their namespace) so that neither Argo CD nor Crossplane
 * deletes them; once that is merged and synced onto the live objects,
 * `remove` deletes the environment's folder.
 * @public
 */
export type DecommissionPhase = 'protect' | 'remove';

/** Input of {@link planDecommission}. @public */
export interface DecommissionRequest {
  /** The GitOps repository's files, path to content. */
  repo: Record<string, string>;
  /** The environment to decommission. */
  environment: string;
  /**
   * Databases and buckets to orphan (keep) instead of deleting, by their
   * name in the environment spec (`epicshelter.io/resource`). Those a
   * merged protect step marked are kept too, named here or not.
   */
  orphan?: string[];
}

/** A composite resource of the plan, with what happens to it. @public */
export interface PlannedResource extends DecommissionResource {
  /** The owner chose to keep it: Crossplane and Argo CD leave it in place. */
  orphaned: boolean;
  /** Deleting it loses data: a database or bucket whose policy is Delete and that is not orphaned. */
  dataLoss: boolean;
}

/** Result of {@link planDecommission}: what goes, and the change that does it. @public */
export interface DecommissionPlan {
  /** The environment's name. */
  environment: string;
  /** Owner of the environment, who reviews the change. */
  owner: string;
  /** Where it runs: `local` or `cloud`. */
  target: string;
  /** Its cloud provider (`local`, `aws`, `gcp`, `azure`). */
  provider: string;
  /** Every composite resource or claim of the environment. */
  resources: PlannedResource[];
  /** The environment's Argo CD Applications (namespace argocd), pruned after the change. */
  applications: string[];
  /** The workloads it deploys. */
  workloads: string[];
  /** Repository files the change deletes, sorted. */
  deleted: string[];
  /**
   * Files the change writes, sorted: for `remove`, kustomizations outside
   * the folder that referenced it and orphan records; for `protect`, the
   * environment's files with the protection marks added.
   */
  changed: Array<{ path: string; content: string }>;
  /** The change this plan makes now (see {@link DecommissionPhase}). */
  step: DecommissionPhase;
  /** What the protection step marks (empty without orphans). */
  protection: ProtectedObject[];
}

function readEnvironment(repo: Record<string, string>, env: string) {
  const path = environmentFilePath(env);
  if (!(path in repo)) {
    const known = environmentNames(repo);
    throw new InputError(
      `Environment ${env} does not exist in the GitOps repository (${path} is missing); known environments: ${
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

function checkOrphans(
  env: string,
  resources: DecommissionResource[],
  orphan: string[],
): Set<string> {
  const data = resources.filter(r => r.holdsData && r.resource);
  const names = data.map(r => r.resource as string);
  for (const name of orphan) {
    const found = resources.find(r => r.resource === name);
    if (!found) {
      throw new InputError(
        `Environment ${env} has no resource named ${name} to orphan; its databases and buckets are: ${
          names.join(', ') || 'none'
        }.`,
      );
    }
    if (!found.holdsData) {
      throw new InputError(
        `${name} is a ${
          found.resourceType ?? found.kind
        }, which holds no data to keep; only databases and buckets can be orphaned (${
          names.join(', ') || 'none here'
        }).`,
      );
    }
  }
  return new Set(orphan);
}

/** The composite resource as kept: Argo CD and Crossplane leave it alone. */
function orphanRecord(
  repo: Record<string, string>,
  env: string,
  r: DecommissionResource,
): { path: string; content: string } {
  const docs = yaml
    .parseAllDocuments(repo[r.file])
    .map(d => d.toJS() as Record<string, any>)
    .filter(d => d?.kind === r.kind && d?.metadata?.name === r.name);
  const value = docs[0];
  const kept = {
    ...value,
    metadata: {
      ...value.metadata,
      annotations: {
        ...(value.metadata?.annotations ?? {}),
        ...orphanMarks(env),
      },
    },
  };
  return {
    path: `${ORPHANED_DIR}/${env}/${basenameOf(r.file).replace(
      /\.ya?ml$/,
      '',
    )}-${r.name}.yaml`,
    content: toYaml(kept),
  };
}

const issueKey = (i: ValidationIssue) =>
  `${i.file}\u0000${i.path}\u0000${i.message}`;

/**
 * Plans decommissioning an environment. Without orphans it is one change:
 * every file under
 * `environments/<env>/` is deleted, kustomizations elsewhere lose their
 * entries pointing into it, and each orphaned database or bucket is kept as
 * a record under `orphaned/<env>/` (paused for Crossplane, never deleted or
 * pruned by Argo CD). The plan lists what goes: the composite resources with
 * kind, provider and deletion policy (from the Composition that serves
 * them), the two Argo CD Applications and the workloads; data that would be
 * lost is marked. With orphans, as long as an orphaned XR or claim (or the
 * namespace holding it) lacks the protection marks in the repository, the
 * plan is the `protect` step instead: those marks added in place, nothing
 * deleted (see {@link DecommissionPhase}); the `remove` step follows once
 * they are there. The repository after the change is validated: a change
 * that would add a validation problem is refused.
 * @throws InputError for an unknown environment or orphan choice
 * @throws ConflictError when the environment's spec is broken, another file
 *   names the folder, or the repository would not validate afterwards
 * @public
 */
export function planDecommission(
  request: DecommissionRequest,
): DecommissionPlan {
  const { repo, environment: env } = request;
  const spec = readEnvironment(repo, env);
  const dir = environmentDir(env);
  const { documents } = parseRepositoryDocuments(repo);
  const platform = buildPlatformIndex(documents);
  const found = environmentResources({ env, documents, platform });
  // What a merged protect step marked stays chosen: the removal that
  // follows it need not repeat the choice.
  const orphaned = new Set([
    ...checkOrphans(env, found, request.orphan ?? []),
    ...orphansMarkedIn(repo, env, found),
  ]);

  const resources: PlannedResource[] = found.map(r => {
    const kept = r.resource !== undefined && orphaned.has(r.resource);
    return {
      ...r,
      orphaned: kept,
      dataLoss: r.holdsData && !kept && r.deletionPolicy === 'Delete',
    };
  });
  const protection = objectsToProtect(
    repo,
    env,
    resources.filter(r => r.orphaned),
  );
  const step: DecommissionPhase = protection.some(o => !o.marked)
    ? 'protect'
    : 'remove';
  const deleted =
    step === 'protect'
      ? []
      : Object.keys(repo)
          .filter(p => isInside(p, dir))
          .sort();
  const changed =
    step === 'protect'
      ? protectionChange(repo, protection)
      : [
          ...referencesOutside(repo, dir),
          ...resources
            .filter(r => r.orphaned)
            .map(r => orphanRecord(repo, env, r)),
        ].sort((a, b) => (a.path < b.path ? -1 : 1));

  const gone = new Set(deleted);
  const after: Record<string, string> = Object.fromEntries(
    Object.entries(repo).filter(([p]) => !gone.has(p)),
  );
  for (const c of changed) after[c.path] = c.content;
  const before = new Set(validateRepository(repo).issues.map(issueKey));
  const added = validateRepository(after).issues.filter(
    i => !before.has(issueKey(i)),
  );
  if (added.length > 0) {
    throw new ConflictError(
      `Decommissioning ${env} would leave the repository invalid; nothing was changed: ${added
        .map(i => `${i.file} ${i.path}: ${i.message}`)
        .join('; ')}`,
    );
  }
  const apps = argoApplicationNames(env);
  return {
    environment: env,
    owner: spec.owner,
    target: spec.target,
    provider: spec.provider,
    resources,
    applications: [apps.infrastructure, apps.workloads],
    workloads: [...spec.workloads],
    deleted,
    changed,
    step,
    protection,
  };
}
