/** Ids of the lifecycle steps, in order. @public */
export const LIFECYCLE_STEPS = [
  'requested',
  'proposed',
  'merged',
  'synced',
  'ready',
] as const;
/** @public */
export type LifecycleStepId = (typeof LIFECYCLE_STEPS)[number];

/** State of one lifecycle step. @public */
export type LifecycleStepState =
  | 'done'
  | 'pending'
  | 'failed'
  | 'skipped'
  | 'unknown';

/** One step of an environment's path from request to ready. @public */
export interface LifecycleStep {
  id: LifecycleStepId;
  title: string;
  state: LifecycleStepState;
  /** When the step was reached (ISO 8601), when known. */
  at?: string;
  /** What happened, or why the step is not done. */
  message: string;
  /** Where to look (task page, pull request, commit, Argo CD app). */
  url?: string;
}

/** The scaffolder task that requested the environment. @public */
export interface LifecycleTemplateRun {
  id: string;
  status: string;
  createdAt: string;
  completedAt?: string;
  url?: string;
  error?: string;
}

/** The proposed change: a GitHub pull request or a local branch. @public */
export type LifecycleChange =
  | {
      kind: 'pull-request';
      number: number;
      url: string;
      state: 'open' | 'closed' | 'merged';
      draft?: boolean;
      createdAt: string;
      mergedAt?: string;
    }
  | { kind: 'branch'; branch: string; sha: string; at?: string };

/** The commit that brought the environment onto the GitOps branch. @public */
export interface LifecycleCommit {
  sha: string;
  at?: string;
  message?: string;
  url?: string;
}

/** One Argo CD application of the environment, with respect to the commit. @public */
export interface LifecycleApplication {
  instance: string;
  name: string;
  layer: 'workloads' | 'infrastructure' | 'other';
  syncStatus: string;
  healthStatus: string;
  healthMessage?: string;
  revision?: string;
  lastSyncedAt?: string;
  operationPhase?: string;
  operationMessage?: string;
  /** Whether `revision` contains the environment's commit; undefined when unknown. */
  containsCommit?: boolean;
  url?: string;
}

/** One declared resource, live status from Crossplane. @public */
export interface LifecycleResource {
  kind: string;
  name: string;
  status: 'ready' | 'failing' | 'not-created' | 'not-declared' | 'unknown';
  /**
   * Health of the live object as Crossplane reports it: a `failing` resource
   * whose state is `progressing` is only being created.
   */
  state?: string;
  message?: string;
}

/** Everything the lifecycle is computed from. @public */
export interface LifecycleInput {
  environment: string;
  /** Branch the change is proposed on, e.g. `epicshelter/dev`. */
  changeBranch: string;
  /** Branch Argo CD follows, e.g. `main`. */
  defaultBranch: string;
  templateRun?: LifecycleTemplateRun;
  templateRunError?: string;
  change?: LifecycleChange;
  changeError?: string;
  commit?: LifecycleCommit;
  applications: LifecycleApplication[];
  applicationsError?: string;
  /** Names of the applications that must sync (`<env>-workloads`, `<env>-infrastructure`). */
  expectedApplications: string[];
  resources: LifecycleResource[];
  resourcesError?: string;
}

/** The computed lifecycle. @public */
export interface Lifecycle {
  environment: string;
  /** `ready`: every step done; `failed`: a step failed; else `in-progress`. */
  state: 'ready' | 'in-progress' | 'failed';
  steps: LifecycleStep[];
  /** The first step that is neither done nor skipped. */
  blockedAt?: LifecycleStepId;
  /** Why it is blocked: the message of that step. */
  reason?: string;
}

const short = (sha?: string) => (sha ? sha.slice(0, 7) : '?');

function maxTime(times: Array<string | undefined>): string | undefined {
  const valid = times.filter((t): t is string => !!t && !isNaN(Date.parse(t)));
  if (valid.length === 0) return undefined;
  return valid.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}

function requestedStep(input: LifecycleInput): LifecycleStep {
  const base = { id: 'requested' as const, title: 'Template run' };
  const run = input.templateRun;
  if (!run) {
    return {
      ...base,
      state: input.templateRunError ? 'unknown' : 'skipped',
      message:
        input.templateRunError ??
        'No template run found for this environment (created outside the portal)',
    };
  }
  const at = run.createdAt;
  switch (run.status) {
    case 'completed':
      return {
        ...base,
        state: 'done',
        at,
        url: run.url,
        message: `Task ${run.id} completed`,
      };
    case 'failed':
    case 'cancelled':
      return {
        ...base,
        state: 'failed',
        at,
        url: run.url,
        message: `Task ${run.id} ${run.status}${
          run.error ? `: ${run.error}` : ''
        }`,
      };
    default:
      return {
        ...base,
        state: 'pending',
        at,
        url: run.url,
        message: `Task ${run.id} is ${run.status}`,
      };
  }
}

function proposedStep(input: LifecycleInput): LifecycleStep {
  const base = { id: 'proposed' as const, title: 'Change proposed' };
  const change = input.change;
  if (change?.kind === 'pull-request') {
    if (change.state === 'closed') {
      return {
        ...base,
        state: 'failed',
        at: change.createdAt,
        url: change.url,
        message: `Pull request #${change.number} was closed without merging`,
      };
    }
    return {
      ...base,
      state: 'done',
      at: change.createdAt,
      url: change.url,
      message: `Pull request #${change.number} opened${
        change.draft ? ' (draft)' : ''
      }`,
    };
  }
  if (change?.kind === 'branch') {
    return {
      ...base,
      state: 'done',
      at: change.at,
      message: `Commit ${short(change.sha)} on branch ${change.branch}`,
    };
  }
  if (input.commit) {
    return {
      ...base,
      state: 'skipped',
      message: `Committed directly to ${input.defaultBranch}`,
    };
  }
  if (input.changeError) {
    return { ...base, state: 'unknown', message: input.changeError };
  }
  return {
    ...base,
    state: 'pending',
    message: `No pull request or branch ${input.changeBranch} found`,
  };
}

function mergedStep(input: LifecycleInput): LifecycleStep {
  const base = { id: 'merged' as const, title: `On ${input.defaultBranch}` };
  const { commit, change } = input;
  if (commit) {
    const pr = change?.kind === 'pull-request' && change.state === 'merged';
    return {
      ...base,
      state: 'done',
      at: (pr ? change.mergedAt : undefined) ?? commit.at,
      url: commit.url,
      message: pr
        ? `Pull request #${change.number} merged as ${short(commit.sha)}`
        : `Commit ${short(commit.sha)} on ${input.defaultBranch}`,
    };
  }
  if (change?.kind === 'pull-request') {
    if (change.state === 'open') {
      return {
        ...base,
        state: 'pending',
        url: change.url,
        message: `Pull request #${change.number} is open${
          change.draft ? ' (draft)' : ''
        }: waiting for review and merge into ${input.defaultBranch}`,
      };
    }
    if (change.state === 'closed') {
      return {
        ...base,
        state: 'failed',
        url: change.url,
        message: `Pull request #${change.number} was closed without merging`,
      };
    }
    return {
      ...base,
      state: 'pending',
      url: change.url,
      message: `Pull request #${change.number} is merged but environments/${input.environment}/environment.yaml is not on ${input.defaultBranch}`,
    };
  }
  if (change?.kind === 'branch') {
    return {
      ...base,
      state: 'pending',
      message: `Branch ${change.branch} is not merged into ${input.defaultBranch}`,
    };
  }
  return {
    ...base,
    state: input.changeError ? 'unknown' : 'pending',
    message: `environments/${input.environment}/environment.yaml is not on ${input.defaultBranch}`,
  };
}

function syncedStep(input: LifecycleInput): LifecycleStep {
  const base = { id: 'synced' as const, title: 'Argo CD synced' };
  const { commit } = input;
  if (!commit) {
    return {
      ...base,
      state: 'pending',
      message: 'Waiting for the change to reach the GitOps branch',
    };
  }
  if (input.applicationsError && input.applications.length === 0) {
    return { ...base, state: 'unknown', message: input.applicationsError };
  }
  const times: Array<string | undefined> = [];
  for (const name of input.expectedApplications) {
    const apps = input.applications.filter(a => a.name === name);
    if (apps.length === 0) {
      return {
        ...base,
        state: 'pending',
        message: `Argo CD application ${name} does not exist yet on any instance (its ApplicationSet creates it after the next poll of ${input.defaultBranch})`,
      };
    }
    const synced = apps.find(
      a => a.containsCommit === true && a.syncStatus === 'Synced',
    );
    if (synced) {
      times.push(synced.lastSyncedAt);
      continue;
    }
    const failed = apps.find(
      a => a.operationPhase === 'Failed' || a.operationPhase === 'Error',
    );
    if (failed) {
      return {
        ...base,
        state: 'failed',
        url: failed.url,
        message: `Sync of ${name} on ${failed.instance} failed${
          failed.operationMessage ? `: ${failed.operationMessage}` : ''
        }`,
      };
    }
    const app = apps[0];
    if (app.containsCommit === undefined && app.revision) {
      return {
        ...base,
        state: 'unknown',
        url: app.url,
        message: `Cannot tell whether revision ${short(
          app.revision,
        )} of ${name} on ${app.instance} contains commit ${short(commit.sha)}`,
      };
    }
    let pending: string;
    if (!app.revision) {
      pending = `${name} on ${app.instance} has not synced yet (${app.syncStatus})`;
    } else if (app.containsCommit) {
      pending = `${name} on ${app.instance} is ${app.syncStatus} at ${short(
        app.revision,
      )}`;
    } else {
      pending = `${name} on ${app.instance} is at revision ${short(
        app.revision,
      )}, which does not contain commit ${short(commit.sha)} yet (${
        app.syncStatus
      })`;
    }
    return { ...base, state: 'pending', url: app.url, message: pending };
  }
  return {
    ...base,
    state: 'done',
    at: maxTime(times),
    message: `${input.expectedApplications.join(
      ' and ',
    )} synced a revision containing ${short(commit.sha)}`,
  };
}

function readyStep(input: LifecycleInput, synced: boolean): LifecycleStep {
  const base = { id: 'ready' as const, title: 'Resources ready' };
  const declared = input.resources.filter(r => r.status !== 'not-declared');
  if (!synced) {
    return {
      ...base,
      state: 'pending',
      message: 'Waiting for Argo CD to apply the infrastructure',
    };
  }
  if (input.resourcesError && declared.length === 0) {
    return { ...base, state: 'unknown', message: input.resourcesError };
  }
  if (declared.length === 0) {
    return {
      ...base,
      state: 'done',
      message: 'No Crossplane resources declared',
    };
  }
  const failing = declared.find(
    r => r.status === 'failing' && r.state !== 'progressing',
  );
  if (failing) {
    return {
      ...base,
      state: 'failed',
      message: `${failing.kind} ${failing.name} is not ready${
        failing.message ? `: ${failing.message}` : ''
      }`,
    };
  }
  const creating = declared.find(r => r.status === 'failing');
  if (creating) {
    return {
      ...base,
      state: 'pending',
      message: `${creating.kind} ${creating.name} is being created${
        creating.message ? `: ${creating.message}` : ''
      }`,
    };
  }
  const missing = declared.find(r => r.status === 'not-created');
  if (missing) {
    return {
      ...base,
      state: 'pending',
      message: `${missing.kind} ${missing.name} is not created in the cluster yet`,
    };
  }
  const unknown = declared.find(r => r.status === 'unknown');
  if (unknown) {
    return {
      ...base,
      state: 'unknown',
      message:
        unknown.message ??
        `Status of ${unknown.kind} ${unknown.name} is unknown`,
    };
  }
  return {
    ...base,
    state: 'done',
    message: `All ${declared.length} Crossplane resources are Ready`,
  };
}

/**
 * Computes the path of an environment from request to ready: template run →
 * change proposed (pull request / branch) → on the GitOps branch → Argo CD
 * synced a revision containing the commit → every Crossplane resource Ready.
 * The first step that is neither done nor skipped is where it is blocked,
 * and its message is the reason.
 * @public
 */
export function computeLifecycle(input: LifecycleInput): Lifecycle {
  const synced = syncedStep(input);
  const steps = [
    requestedStep(input),
    proposedStep(input),
    mergedStep(input),
    synced,
    readyStep(input, synced.state === 'done'),
  ];
  const blocking = steps.find(s => s.state !== 'done' && s.state !== 'skipped');
  // A template run that is unknown or still marked running does not block
  // once later steps have happened (the task list may be pruned).
  const effective =
    blocking?.id === 'requested' &&
    blocking.state !== 'failed' &&
    steps.slice(1).some(s => s.state === 'done')
      ? steps.slice(1).find(s => s.state !== 'done' && s.state !== 'skipped')
      : blocking;
  if (!effective) {
    return { environment: input.environment, state: 'ready', steps };
  }
  return {
    environment: input.environment,
    state: effective.state === 'failed' ? 'failed' : 'in-progress',
    steps,
    blockedAt: effective.id,
    reason: effective.message,
  };
}
