import type { LifecycleResource } from '../../lifecycle';
import type { EnvironmentStatusFinding, EnvironmentStatusRule } from '../types';

const detail = (message?: string) => (message ? `: ${message}` : '');

/** What one declared Crossplane resource says, or undefined when it is Ready. */
function resourceFinding(
  r: LifecycleResource,
): EnvironmentStatusFinding | undefined {
  const id = `${r.kind} ${r.name}`;
  const finding = (
    status: EnvironmentStatusFinding['status'],
    reason: string,
  ) => ({ status, reason, source: 'resource' } as const);
  switch (r.status) {
    case 'failing':
      return r.state === 'progressing'
        ? finding('Progressing', `${id} is being created${detail(r.message)}`)
        : finding('Degraded', `${id} is not ready${detail(r.message)}`);
    case 'not-created':
      return finding('Progressing', `${id} is not created in the cluster yet`);
    case 'unknown':
      return finding('Unknown', r.message ?? `Status of ${id} is unknown`);
    default:
      return undefined;
  }
}

/** The Crossplane resources the environment declares, when Crossplane is available. */
export const resourcesRule: EnvironmentStatusRule = ({
  resources,
  resourcesError,
}) => {
  if (!resources) return [];
  const declared = resources.filter(r => r.status !== 'not-declared');
  if (resourcesError && declared.length === 0) {
    return [{ status: 'Unknown', source: 'resource', reason: resourcesError }];
  }
  return declared
    .map(resourceFinding)
    .filter((f): f is EnvironmentStatusFinding => !!f);
};
