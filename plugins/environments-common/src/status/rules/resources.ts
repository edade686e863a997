import type { EnvironmentStatusRule } from '../types';

const detail = (message?: string) => (message ? `: ${message}` : '');

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
  return declared.flatMap(r => {
    const id = `${r.kind} ${r.name}`;
    switch (r.status) {
      case 'failing':
        return r.state === 'progressing'
          ? [
              {
                status: 'Progressing' as const,
                source: 'resource' as const,
                reason: `${id} is being created${detail(r.message)}`,
              },
            ]
          : [
              {
                status: 'Degraded' as const,
                source: 'resource' as const,
                reason: `${id} is not ready${detail(r.message)}`,
              },
            ];
      case 'not-created':
        return [
          {
            status: 'Progressing' as const,
            source: 'resource' as const,
            reason: `${id} is not created in the cluster yet`,
          },
        ];
      case 'unknown':
        return [
          {
            status: 'Unknown' as const,
            source: 'resource' as const,
            reason: r.message ?? `Status of ${id} is unknown`,
          },
        ];
      default:
        return [];
    }
  });
};
