import { describeCondition } from './conditions';
import type {
  CrossplaneCondition,
  CrossplaneHealth,
  CrossplaneStatus,
} from './types';

/**
 * What {@link classifyStatus} looks at.
 * @public
 */
export interface CrossplaneStatusInput {
  conditions: CrossplaneCondition[];
  /** `metadata.deletionTimestamp`. */
  deletionTimestamp?: string;
  /** The `crossplane.io/paused` annotation is `"true"`. */
  paused?: boolean;
  /**
   * `provider-config`: a ProviderConfig reports no health of its own (only
   * `status.users`); existing is healthy.
   */
  kind?: 'resource' | 'package' | 'provider-config';
}

/** Annotation that pauses reconciliation of a Crossplane object. @public */
export const ANNOTATION_PAUSED = 'crossplane.io/paused';

/** The message shown when an object reports no conditions at all. @public */
export const NO_CONDITIONS = 'No conditions reported yet';

/**
 * Reasons of a False or Unknown condition that mean work in progress, not
 * failure: a managed resource being created, a claim waiting for its
 * composite, a package being unpacked or its health not known yet.
 */
const PROGRESS_REASONS = new Set([
  'Creating',
  'Waiting',
  'UnpackingPackage',
  'UnknownPackageRevisionHealth',
  'AwaitingVerification',
  'WaitingForDependencies',
]);

/** Condition types of Crossplane packages (Provider, Configuration, Function and their revisions). */
const PACKAGE_TYPES = new Set([
  'Installed',
  'Healthy',
  'RevisionHealthy',
  'RuntimeHealthy',
  'Verified',
]);

/**
 * The conditions of an object's status, wherever its API keeps them:
 * `status.conditions`, or the legacy `status.conditionedStatus.conditions`
 * of early Crossplane APIs. Each is normalised to strings.
 * @public
 */
export function conditionsOf(status: unknown): CrossplaneCondition[] {
  const s = (status ?? {}) as Record<string, any>;
  const raw = Array.isArray(s.conditions)
    ? s.conditions
    : s.conditionedStatus?.conditions;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(c => c && typeof c === 'object' && c.type)
    .map(c => ({
      type: String(c.type),
      status: String(c.status ?? 'Unknown'),
      ...(c.reason ? { reason: String(c.reason) } : {}),
      ...(c.message ? { message: String(c.message) } : {}),
      ...(c.lastTransitionTime
        ? { lastTransitionTime: String(c.lastTransitionTime) }
        : {}),
    }));
}

const fromCondition = (
  health: CrossplaneHealth,
  c: CrossplaneCondition,
): CrossplaneStatus => ({
  health,
  reason: c.reason ?? `${c.type}=${c.status}`,
  message: describeCondition(c),
});

/**
 * Classifies an object's status from its conditions, deletion timestamp and
 * paused annotation, in this order: deleting, paused, no conditions
 * (unknown), a failing condition (Synced=False, Ready=False other than
 * Creating, a False package condition), progress (Ready=False/Creating,
 * Ready not reported yet, a package condition Unknown), healthy. A composed
 * object without Crossplane's conditions (a Deployment) is judged by its
 * own: any False one fails, any Unknown one is progress, all True is healthy.
 * @public
 */
export function classifyStatus(input: CrossplaneStatusInput): CrossplaneStatus {
  const { conditions } = input;
  const byType = (t: string) => conditions.find(c => c.type === t);
  const deletingCondition = conditions.find(c => c.reason === 'Deleting');
  if (input.deletionTimestamp || deletingCondition) {
    const blocked = conditions.find(
      c => c.status === 'False' && c.reason === 'ReconcileError',
    );
    const c = blocked ?? deletingCondition;
    return {
      health: 'deleting',
      reason: 'Deleting',
      message: c
        ? describeCondition(c)
        : `Deletion requested at ${input.deletionTimestamp}`,
    };
  }
  const pausedCondition = conditions.find(c => c.reason === 'ReconcilePaused');
  if (input.paused || pausedCondition) {
    return {
      health: 'paused',
      reason: 'ReconcilePaused',
      message: pausedCondition
        ? describeCondition(pausedCondition)
        : `Reconciliation paused by the ${ANNOTATION_PAUSED} annotation`,
    };
  }
  if (conditions.length === 0) {
    return input.kind === 'provider-config'
      ? { health: 'healthy', reason: 'Exists' }
      : { health: 'unknown', message: NO_CONDITIONS };
  }
  const synced = byType('Synced');
  if (synced?.status === 'False') return fromCondition('failing', synced);
  const ready = byType('Ready');
  if (ready?.status === 'False') {
    return fromCondition(
      PROGRESS_REASONS.has(ready.reason ?? '') ? 'progressing' : 'failing',
      ready,
    );
  }
  const packageConditions = conditions.filter(c => PACKAGE_TYPES.has(c.type));
  const progress = (c: CrossplaneCondition) =>
    c.status === 'Unknown' || PROGRESS_REASONS.has(c.reason ?? '');
  const brokenPackage = packageConditions.find(
    c => c.status === 'False' && !progress(c),
  );
  if (brokenPackage) return fromCondition('failing', brokenPackage);
  const pendingPackage = packageConditions.find(
    c => c.status !== 'True' && progress(c),
  );
  if (pendingPackage) return fromCondition('progressing', pendingPackage);
  if (ready?.status === 'True') {
    return { health: 'healthy', reason: ready.reason ?? 'Available' };
  }
  if (ready) return fromCondition('progressing', ready);
  if (packageConditions.length > 0) {
    return {
      health: 'healthy',
      reason: byType('Healthy')?.reason ?? packageConditions[0].reason,
    };
  }
  if (!synced) {
    // a composed Kubernetes object with conditions of its own (a
    // Deployment's Available and Progressing): they decide
    const broken = conditions.find(
      x => x.status === 'False' && !PROGRESS_REASONS.has(x.reason ?? ''),
    );
    if (broken) return fromCondition('failing', broken);
    const pending = conditions.find(x => x.status !== 'True');
    if (pending) return fromCondition('progressing', pending);
    return { health: 'healthy', reason: conditions[0].reason };
  }
  return {
    health: 'progressing',
    reason: 'WaitingForReady',
    message: 'No Ready condition reported yet',
  };
}
