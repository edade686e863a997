import type { LifecycleChange, LifecycleStepState } from './lifecycle';

/** Ids of the decommission steps, in order. @public */
export const DECOMMISSION_STEPS = [
  'protected',
  'proposed',
  'merged',
  'pruned',
  'resources-gone',
  'entity-removed',
] as const;
/** Id of a decommission step. @public */
export type DecommissionStepId = (typeof DECOMMISSION_STEPS)[number];

/** One step of an environment's decommission. @public */
export interface DecommissionStep {
  id: DecommissionStepId;
  title: string;
  state: LifecycleStepState;
  /** What happened, or why the step is not done (where it is stuck). */
  message: string;
  /** When the step was reached (ISO 8601), when known. */
  at?: string;
  /** Where to look (pull request, commit). */
  url?: string;
}

/** A live object (Argo CD application, composite or managed resource) that is still there. @public */
export interface DecommissionObject {
  kind: string;
  name: string;
  namespace?: string;
  /** `metadata.deletionTimestamp`: its deletion was requested. */
  deletionTimestamp?: string;
  /** `metadata.finalizers`, when known: what holds its deletion. */
  finalizers?: string[];
  /** Its status message (a condition's), when known. */
  message?: string;
  /** Whether it is owned by another object (ownerReferences), when known. */
  owned?: boolean;
}

/** Everything the decommission lifecycle is computed from. @public */
export interface DecommissionLifecycleInput {
  environment: string;
  /** Branch the decommission change is proposed on. */
  changeBranch: string;
  /** Branch Argo CD follows. */
  defaultBranch: string;
  change?: LifecycleChange;
  changeError?: string;
  /**
   * Whether `environments/<env>/environment.yaml` is on the head of the
   * default branch; undefined when the repository could not be read.
   */
  inRepository?: boolean;
  /** The head commit that was read. */
  head?: { sha: string; url?: string };
  /** The environment's Argo CD applications that still exist. */
  applications: DecommissionObject[];
  applicationsError?: string;
  /** The environment's composite and managed resources that still exist. */
  resources: DecommissionObject[];
  resourcesError?: string;
  /** Resources kept on purpose (the owner chose to orphan them): `Kind/name`. */
  orphaned: string[];
  /** Whether the environment's catalog entity still exists. */
  entityPresent: boolean;
  /**
   * The protect step of a decommission that keeps (orphans) something, as
   * the environments backend observed it; shown first. Absent without orphans.
   */
  protection?: DecommissionStep;
  /** The time of the reading (ISO 8601). */
  now: string;
  /** A deletion pending longer than this is stuck (default 600 s). */
  stuckAfterSeconds?: number;
}

/** The computed decommission lifecycle. @public */
export interface DecommissionLifecycle {
  environment: string;
  /** `removed`: every step done; `stuck`: a deletion does not finish; else `in-progress`. */
  state: 'removed' | 'in-progress' | 'stuck';
  steps: DecommissionStep[];
  /** The first step that is not done. */
  blockedAt?: DecommissionStepId;
  /** Why: where it waits or is stuck. */
  reason?: string;
}

const short = (sha?: string) => (sha ? sha.slice(0, 7) : '?');
const ref = (o: DecommissionObject) =>
  `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

function proposedStep(input: DecommissionLifecycleInput): DecommissionStep {
  const base = { id: 'proposed' as const, title: 'Decommission proposed' };
  const c = input.change;
  if (c?.kind === 'pull-request') {
    if (c.state === 'closed') {
      return {
        ...base,
        state: 'failed',
        message: `Pull request #${c.number} was closed without merging; the environment stays. Run the decommission template again to propose it anew.`,
        url: c.url,
        at: c.createdAt,
      };
    }
    return {
      ...base,
      state: 'done',
      message: `Pull request #${c.number}`,
      url: c.url,
      at: c.createdAt,
    };
  }
  if (c?.kind === 'branch') {
    return {
      ...base,
      state: 'done',
      message: `Branch ${c.branch} at ${short(c.sha)}`,
      at: c.at,
    };
  }
  if (input.inRepository === false) {
    return {
      ...base,
      state: 'done',
      message: `Committed directly to ${input.defaultBranch}`,
    };
  }
  if (input.changeError) {
    return { ...base, state: 'unknown', message: input.changeError };
  }
  return {
    ...base,
    state: 'pending',
    message: `No decommission change found on branch ${input.changeBranch}`,
  };
}

function mergedStep(input: DecommissionLifecycleInput): DecommissionStep {
  const base = { id: 'merged' as const, title: 'Merged' };
  const file = `environments/${input.environment}/environment.yaml`;
  if (input.inRepository === false) {
    return {
      ...base,
      state: 'done',
      message: `${file} is gone from ${input.defaultBranch}${
        input.head ? ` (head ${short(input.head.sha)})` : ''
      }`,
      url: input.head?.url,
      at:
        input.change?.kind === 'pull-request'
          ? input.change.mergedAt
          : undefined,
    };
  }
  if (input.inRepository === undefined) {
    return {
      ...base,
      state: 'unknown',
      message: `Whether ${file} is still on ${input.defaultBranch} could not be read`,
    };
  }
  return {
    ...base,
    state: 'pending',
    message:
      input.change?.kind === 'pull-request'
        ? `Waiting for pull request #${input.change.number} to be reviewed and merged into ${input.defaultBranch}`
        : `${file} is still on ${input.defaultBranch}`,
  };
}

/** How long a deletion has been pending, and whether that is stuck. */
function deleting(
  o: DecommissionObject,
  input: DecommissionLifecycleInput,
): { stuck: boolean; text: string } {
  const since = o.deletionTimestamp && Date.parse(o.deletionTimestamp);
  const now = Date.parse(input.now);
  const limit = (input.stuckAfterSeconds ?? 600) * 1000;
  const held =
    o.finalizers && o.finalizers.length > 0
      ? `; finalizer ${o.finalizers.join(', ')} still set`
      : '';
  const why = o.message ? `: ${o.message}` : '';
  if (!since || isNaN(since)) {
    return { stuck: false, text: `${ref(o)} still exists${why}` };
  }
  const minutes = Math.max(0, Math.round((now - since) / 60000));
  const stuck = now - since > limit;
  return {
    stuck,
    text: `${ref(o)} ${
      stuck ? 'is stuck deleting' : 'is being deleted'
    } (requested ${minutes} min ago${held})${why}`,
  };
}

/** A step that is done when none of `objects` is left. */
function goneStep(
  base: { id: DecommissionStepId; title: string },
  input: DecommissionLifecycleInput,
  objects: DecommissionObject[],
  error: string | undefined,
  done: string,
  previousDone: boolean,
): DecommissionStep {
  if (error) return { ...base, state: 'unknown', message: error };
  if (objects.length === 0) return { ...base, state: 'done', message: done };
  const states = objects.map(o => deleting(o, input));
  const stuck = states.filter(s => s.stuck);
  if (stuck.length > 0) {
    return {
      ...base,
      state: 'failed',
      message: `Stuck: ${stuck.map(s => s.text).join('; ')}`,
    };
  }
  return {
    ...base,
    state: 'pending',
    message: previousDone
      ? `Waiting: ${states.map(s => s.text).join('; ')}`
      : `${objects.length} left: ${objects.map(ref).join(', ')}`,
  };
}

/**
 * Computes how far an environment's decommission got: change proposed →
 * merged (its environment document gone from the default branch) → Argo CD
 * pruned its applications → its Crossplane resources are gone (those the
 * owner orphaned stay, unowned) → its catalog entity is removed. A deletion
 * pending longer than `stuckAfterSeconds` is reported as stuck, naming the
 * object, how long it has waited and the finalizer that holds it.
 * @public
 */
export function computeDecommissionLifecycle(
  input: DecommissionLifecycleInput,
): DecommissionLifecycle {
  const proposed = proposedStep(input);
  const merged = mergedStep(input);
  const pruned = goneStep(
    { id: 'pruned', title: 'Argo CD pruned' },
    input,
    input.applications,
    input.applicationsError,
    'Its Argo CD applications are gone',
    merged.state === 'done',
  );
  const kept = new Set(input.orphaned);
  const isKept = (o: DecommissionObject) => kept.has(`${o.kind}/${o.name}`);
  const left = input.resources.filter(o => !isKept(o));
  const keptLive = input.resources.filter(isKept);
  const stillOwned = keptLive.filter(o => o.owned);
  const resources = goneStep(
    { id: 'resources-gone', title: 'Crossplane resources gone' },
    input,
    [...left, ...stillOwned],
    input.resourcesError,
    keptLive.length > 0
      ? `All deleted except what was kept as chosen: ${keptLive
          .map(ref)
          .join(', ')} (orphaned, owned by nothing)`
      : 'All its Crossplane resources are deleted',
    pruned.state === 'done',
  );
  const entity: DecommissionStep = input.entityPresent
    ? {
        id: 'entity-removed',
        title: 'Catalog entity removed',
        state: 'pending',
        message: `resource:default/${input.environment} is still in the catalog`,
      }
    : {
        id: 'entity-removed',
        title: 'Catalog entity removed',
        state: 'done',
        message: `resource:default/${input.environment} is no longer in the catalog`,
      };
  const steps = [
    ...(input.protection ? [input.protection] : []),
    proposed,
    merged,
    pruned,
    resources,
    entity,
  ];
  const blocking = steps.find(s => s.state !== 'done');
  if (!blocking) {
    return { environment: input.environment, state: 'removed', steps };
  }
  const stuck = steps.find(s => s.state === 'failed');
  const at = stuck ?? blocking;
  return {
    environment: input.environment,
    state: stuck ? 'stuck' : 'in-progress',
    steps,
    blockedAt: at.id,
    reason: at.message,
  };
}
