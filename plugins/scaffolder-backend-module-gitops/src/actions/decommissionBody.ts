import type {
  DecommissionPlan,
  PlannedResource,
} from '@epicshelter/plugin-gitops-common';

const cell = (s: string | undefined) =>
  (s ?? '—').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function fate(r: PlannedResource): string {
  if (r.orphaned) return 'kept (orphaned, as chosen)';
  if (r.deletionPolicy === 'Orphan') return 'kept by its composition';
  return r.dataLoss ? '**deleted, data lost**' : 'deleted';
}

/**
 * What decommissioning removes, as Markdown: the composite resources (kind,
 * name, provider, deletion policy and what happens to each), the data that
 * would be lost, the Argo CD applications and the workloads.
 */
export function describePlan(plan: DecommissionPlan): string {
  const lost = plan.resources.filter(r => r.dataLoss);
  const kept = plan.resources.filter(r => r.orphaned);
  return [
    `Environment \`${plan.environment}\` (owner \`${plan.owner}\`, ${plan.target}, ${plan.provider}).`,
    '',
    '| Kind | Name | Provider | Deletion policy | After the change |',
    '| --- | --- | --- | --- | --- |',
    ...plan.resources.map(
      r =>
        `| ${cell(r.kind)}${r.claim ? ' (claim)' : ''} | ${cell(
          r.name,
        )} | ${cell(r.provider)} | ${
          r.orphaned ? 'Orphan' : r.deletionPolicy
        } | ${fate(r)} |`,
    ),
    ...(plan.resources.length === 0
      ? ['| — | no composite resources | | | |']
      : []),
    '',
    lost.length > 0
      ? `**Data lost:** ${lost
          .map(r => `${r.resourceType} \`${r.resource ?? r.name}\``)
          .join(
            ', ',
          )}. Choose to orphan (keep) them if their data must survive.`
      : 'No database or bucket data is deleted.',
    ...(kept.length > 0
      ? [
          '',
          `**Kept (orphaned):** ${kept
            .map(r => `${r.resourceType} \`${r.resource ?? r.name}\``)
            .join(', ')}: recorded under \`orphaned/${
            plan.environment
          }/\`, paused for Crossplane and never pruned or deleted by Argo CD.`,
        ]
      : []),
    '',
    `**Argo CD applications pruned:** ${plan.applications
      .map(a => `\`${a}\``)
      .join(', ')}.`,
    '',
    `**Workloads removed:** ${
      plan.workloads.map(w => `\`${w}\``).join(', ') || 'none'
    }.`,
  ].join('\n');
}

/** The pull request body of a decommission: the plan, then the files. */
export function decommissionBody(plan: DecommissionPlan): string {
  return [
    `Decommissions environment \`${plan.environment}\`: everything the repository holds for it goes in this one change.`,
    '',
    describePlan(plan),
    '',
    `### Deleted files (${plan.deleted.length})`,
    '',
    ...plan.deleted.map(p => `- \`${p}\``),
    ...(plan.changed.length > 0
      ? [
          '',
          `### Written files (${plan.changed.length})`,
          '',
          ...plan.changed.map(c => `- \`${c.path}\``),
        ]
      : []),
  ].join('\n');
}
