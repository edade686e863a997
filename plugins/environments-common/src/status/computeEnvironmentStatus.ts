import { applicationsRule } from './rules/applications';
import { lifecycleRule } from './rules/lifecycle';
import { resourcesRule } from './rules/resources';
import {
  ENVIRONMENT_STATUS_ORDER,
  EnvironmentStatus,
  EnvironmentStatusInput,
  EnvironmentStatusRule,
} from './types';

/** The rules, in the order their findings win a tie. */
const RULES: EnvironmentStatusRule[] = [
  lifecycleRule,
  applicationsRule,
  resourcesRule,
];

const rank = (s: EnvironmentStatus['status']) =>
  ENVIRONMENT_STATUS_ORDER.indexOf(s);

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function healthyReason(input: EnvironmentStatusInput): string {
  const parts = [
    input.applications.length === 0
      ? 'no Argo CD application reports a problem'
      : `${input.applications.length === 1 ? 'its' : 'all its'} ${plural(
          input.applications.length,
          'Argo CD application',
        )} ${
          input.applications.length === 1 ? 'is' : 'are'
        } Synced and Healthy`,
  ];
  const declared = input.resources?.filter(r => r.status !== 'not-declared');
  if (declared) {
    parts.push(
      declared.length === 0
        ? 'it declares no Crossplane resources'
        : `${declared.length === 1 ? 'its' : 'all its'} ${plural(
            declared.length,
            'Crossplane resource',
          )} ${declared.length === 1 ? 'is' : 'are'} Ready`,
    );
  }
  if (input.lifecycle) parts.push('its lifecycle is complete');
  const last = parts.pop()!;
  const text = parts.length ? `${parts.join(', ')} and ${last}` : last;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * One verdict for an environment from all its Argo CD applications, its
 * Crossplane resources (when available) and its lifecycle: the worst finding
 * (`Failed` worst, then `Degraded`, `Progressing`, `OutOfSync`, `Unknown`, `Healthy`) with a
 * sentence naming the application, resource or step behind it.
 * @public
 */
export function computeEnvironmentStatus(
  input: EnvironmentStatusInput,
): EnvironmentStatus {
  const findings = RULES.flatMap(rule => rule(input))
    .map((finding, order) => ({ finding, order }))
    .sort(
      (a, b) =>
        rank(a.finding.status) - rank(b.finding.status) || a.order - b.order,
    )
    .map(({ finding }) => ({
      ...finding,
      reason: /[.!?]$/.test(finding.reason)
        ? finding.reason
        : `${finding.reason}.`,
    }));
  const worst = findings[0];
  return {
    environment: input.environment,
    status: worst?.status ?? 'Healthy',
    reason: worst?.reason ?? healthyReason(input),
    findings,
  };
}
