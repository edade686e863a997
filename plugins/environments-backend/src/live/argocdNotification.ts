import { InputError } from '@backstage/errors';

/**
 * The body an Argo CD Notifications webhook sends (the template in the
 * README): which application changed, and its state.
 */
export interface ArgoCdNotification {
  app: string;
  namespace: string;
  /** The Argo CD instance's name in the portal's configuration. */
  instance: string;
  labels: Record<string, string>;
  health: string;
  sync: string;
  /** Phase of the current or last operation; empty without one. */
  operation: string;
}

const FIELDS = [
  'app',
  'namespace',
  'instance',
  'labels',
  'health',
  'sync',
  'operation',
];
const K8S_NAME = /^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const INSTANCE = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,62}[A-Za-z0-9])?$/;
const LABEL_KEY =
  /^(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
// Argo CD's health.status, sync.status and operationState.phase values.
const HEALTH = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];
const SYNC = ['Synced', 'OutOfSync', 'Unknown'];
const OPERATION = [
  '',
  'Running',
  'Terminating',
  'Failed',
  'Error',
  'Succeeded',
];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the body of an Argo CD notification; throws an InputError naming
 * every field that is wrong.
 */
export function parseArgoCdNotification(body: unknown): ArgoCdNotification {
  if (!isRecord(body)) {
    throw new InputError(
      'An Argo CD notification must be a JSON object with app, namespace, instance, labels, health, sync and operation',
    );
  }
  const problems: string[] = [];
  const unknown = Object.keys(body).filter(k => !FIELDS.includes(k));
  if (unknown.length > 0)
    problems.push(`unknown field(s) ${unknown.join(', ')}`);
  const text = (
    field: string,
    ok: (v: string) => boolean,
    expected: string,
  ): string => {
    const value = body[field];
    if (typeof value !== 'string' || !ok(value)) {
      problems.push(`${field} must be ${expected}`);
      return '';
    }
    return value;
  };
  const oneOf = (values: string[]) => (v: string) => values.includes(v);
  const app = text('app', v => K8S_NAME.test(v), 'an application name');
  const namespace = text(
    'namespace',
    v => DNS_LABEL.test(v),
    'a namespace name',
  );
  const instance = text(
    'instance',
    v => INSTANCE.test(v),
    'the name of an Argo CD instance',
  );
  const health = text('health', oneOf(HEALTH), `one of ${HEALTH.join(', ')}`);
  const sync = text('sync', oneOf(SYNC), `one of ${SYNC.join(', ')}`);
  const operation = text(
    'operation',
    oneOf(OPERATION),
    `empty or one of ${OPERATION.slice(1).join(', ')}`,
  );
  const labels: Record<string, string> = {};
  const rawLabels = body.labels ?? null;
  if (rawLabels !== null) {
    if (
      !isRecord(rawLabels) ||
      !Object.entries(rawLabels).every(
        ([k, v]) =>
          LABEL_KEY.test(k) && typeof v === 'string' && v.length <= 63,
      )
    ) {
      problems.push('labels must be an object of label names to strings');
    } else {
      Object.assign(labels, rawLabels);
    }
  }
  if (problems.length > 0) {
    throw new InputError(
      `Argo CD notification rejected, nothing done: ${problems.join('; ')}`,
    );
  }
  return { app, namespace, instance, labels, health, sync, operation };
}
