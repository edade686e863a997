import type { LifecycleChange } from './lifecycle';

/**
 * A change proposed for an environment and not merged yet: an open pull or
 * merge request (GitHub, GitLab) or, for the local repository, a change
 * branch (`<branchPrefix><env>`, as publish names it) with commits the
 * GitOps branch does not have.
 * @public
 */
export type OpenChange = (
  | { kind: 'pull-request'; number: number; url: string; draft?: boolean }
  | { kind: 'branch'; branch: string; sha: string }
) &
  OpenChangeScope;

/**
 * What an open change touches in its environment, from the files it
 * changes (see {@link openChangeScope}); absent when they could not be read.
 * @public
 */
export interface OpenChangeScope {
  /** The workloads whose release or config in the environment the change alters, sorted. */
  workloads?: string[];
  /** True when the change removes the environment (a decommission). */
  removesEnvironment?: boolean;
}

/**
 * The open change among what was found on an environment's change branch:
 * an open (or draft) pull request; a branch only when `branchAhead` says it
 * has commits the GitOps branch lacks (a merged branch that was kept is not
 * open). Undefined when nothing is open.
 * @public
 */
export function openChangeOf(
  change: LifecycleChange | undefined,
  branchAhead?: boolean,
): OpenChange | undefined {
  if (!change) return undefined;
  if (change.kind === 'pull-request') {
    return change.state === 'open'
      ? {
          kind: 'pull-request',
          number: change.number,
          url: change.url,
          ...(change.draft ? { draft: true } : {}),
        }
      : undefined;
  }
  return branchAhead
    ? { kind: 'branch', branch: change.branch, sha: change.sha }
    : undefined;
}

/** A file an open change adds, modifies or removes. @public */
export interface OpenChangeFile {
  /** Path in the repository. */
  path: string;
  /** What the change does to it. */
  status: 'added' | 'modified' | 'removed';
}

type SpecDocument = {
  spec?: {
    workloads?: unknown;
    workloadOverrides?: Record<string, unknown>;
  };
};

function declaredWorkloads(doc: unknown): string[] {
  const workloads = (doc as SpecDocument | undefined)?.spec?.workloads;
  return Array.isArray(workloads)
    ? workloads.filter((w): w is string => typeof w === 'string')
    : [];
}

function overrideOf(doc: unknown, workload: string): string {
  const overrides = (doc as SpecDocument | undefined)?.spec?.workloadOverrides;
  return JSON.stringify(overrides?.[workload] ?? null);
}

/**
 * The workloads an open change touches in `environment`, from the files it
 * changes (since its merge base) and the environment document
 * (`environments/<env>/environment.yaml`, parsed) before and after it:
 * - a workload patch (`workloads/patches/<workload>.yaml`) names its workload;
 * - the document names workloads added, removed, or whose override (image
 *   tag, replicas) differs;
 * - removing the document removes the environment and so every workload;
 * - a change to the shared workloads kustomization that the document does
 *   not explain (a hand edit) touches every workload.
 * Files of other environments are not this environment's.
 * @public
 */
export function openChangeScope(options: {
  environment: string;
  files: OpenChangeFile[];
  /** The environment document at the merge base; undefined when absent there. */
  before?: unknown;
  /** The environment document at the change's head; undefined when absent there. */
  after?: unknown;
}): Required<OpenChangeScope> {
  const { environment, files, before, after } = options;
  const dir = `environments/${environment}/`;
  const own = files.filter(f => f.path.startsWith(dir));
  const spec = own.find(f => f.path === `${dir}environment.yaml`);
  if (spec?.status === 'removed') {
    return {
      workloads: [...new Set(declaredWorkloads(before))].sort(),
      removesEnvironment: true,
    };
  }
  const touched = new Set<string>();
  const patches = `${dir}workloads/patches/`;
  for (const f of own) {
    const name = f.path.slice(patches.length);
    if (f.path.startsWith(patches) && /^[^/]+\.yaml$/.test(name)) {
      touched.add(name.slice(0, -'.yaml'.length));
    }
  }
  const beforeWorkloads = declaredWorkloads(before);
  const afterWorkloads = declaredWorkloads(after);
  if (spec) {
    for (const w of new Set([...beforeWorkloads, ...afterWorkloads])) {
      if (
        beforeWorkloads.includes(w) !== afterWorkloads.includes(w) ||
        overrideOf(before, w) !== overrideOf(after, w)
      ) {
        touched.add(w);
      }
    }
  }
  const kustomization = own.some(
    f => f.path === `${dir}workloads/kustomization.yaml`,
  );
  if (kustomization && touched.size === 0) {
    afterWorkloads.forEach(w => touched.add(w));
  }
  return { workloads: [...touched].sort(), removesEnvironment: false };
}
