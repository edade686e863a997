import type { EnvironmentStatusRule } from '../types';

/**
 * The lifecycle: a failed step fails the environment; a step still pending
 * makes it progress; a step that cannot be told makes it unknown.
 */
export const lifecycleRule: EnvironmentStatusRule = ({ lifecycle }) => {
  if (!lifecycle || lifecycle.state === 'ready' || !lifecycle.blockedAt) {
    return [];
  }
  const step = lifecycle.steps.find(s => s.id === lifecycle.blockedAt);
  const title = step?.title ?? lifecycle.blockedAt;
  const reason = lifecycle.reason ?? step?.message ?? '';
  if (lifecycle.state === 'failed') {
    return [
      {
        status: 'Failed',
        source: 'lifecycle',
        reason: `Lifecycle step “${title}” failed: ${reason}`,
      },
    ];
  }
  return [
    {
      status: step?.state === 'unknown' ? 'Unknown' : 'Progressing',
      source: 'lifecycle',
      reason: `Lifecycle step “${title}”: ${reason}`,
    },
  ];
};
