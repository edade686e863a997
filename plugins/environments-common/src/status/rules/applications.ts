import type {
  EnvironmentStatusFinding,
  EnvironmentStatusInput,
  EnvironmentStatusRule,
} from '../types';

type App = EnvironmentStatusInput['applications'][number];

const detail = (message?: string) => (message ? `: ${message}` : '');

/** What one Argo CD application says, worst first (it may say several things). */
function appFindings(app: App): EnvironmentStatusFinding[] {
  const id = `${app.name} on Argo CD instance ${app.instance}`;
  const found: EnvironmentStatusFinding[] = [];
  const add = (status: EnvironmentStatusFinding['status'], reason: string) =>
    found.push({ status, reason, source: 'application' });
  if (app.operationPhase === 'Failed' || app.operationPhase === 'Error') {
    add('Failed', `Sync of ${id} failed${detail(app.operationMessage)}`);
  }
  switch (app.healthStatus) {
    case 'Healthy':
      break;
    case 'Degraded':
      add('Degraded', `${id} is Degraded${detail(app.healthMessage)}`);
      break;
    case 'Progressing':
    case 'Suspended':
      add(
        'Progressing',
        `${id} is ${app.healthStatus}${detail(app.healthMessage)}`,
      );
      break;
    case 'Missing':
      add('Progressing', `${id} is Missing: its resources are not created yet`);
      break;
    default:
      add('Unknown', `Health of ${id} is ${app.healthStatus || 'unknown'}`);
  }
  if (
    app.operationPhase === 'Running' ||
    app.operationPhase === 'Terminating'
  ) {
    add('Progressing', `${id} is syncing`);
  }
  if (app.syncStatus === 'OutOfSync') {
    add('OutOfSync', `${id} is OutOfSync with the GitOps repository`);
  } else if (app.syncStatus !== 'Synced') {
    add('Unknown', `Sync status of ${id} is ${app.syncStatus || 'unknown'}`);
  }
  return found;
}

/**
 * Every Argo CD application of the environment (workloads and
 * infrastructure, on every instance), and the ones that should exist but
 * do not.
 */
export const applicationsRule: EnvironmentStatusRule = input => {
  const { applications, applicationsError, expectedApplications } = input;
  const found = applications.flatMap(appFindings);
  if (applicationsError) {
    found.push({
      status: 'Unknown',
      source: 'application',
      reason: applicationsError,
    });
  }
  if (!applicationsError || applications.length > 0) {
    for (const name of expectedApplications) {
      if (!applications.some(a => a.name === name)) {
        found.push({
          status: 'Progressing',
          source: 'application',
          reason: `Argo CD application ${name} does not exist yet on any instance`,
        });
      }
    }
  }
  return found;
};
