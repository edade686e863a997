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
          `**Decommissioned in two changes:** ${
            plan.step === 'protect'
              ? 'this one protects what is kept; the removal follows once the live objects carry the protection.'
              : 'what is kept is protected already; this one removes the rest.'
          }`,
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

/**
 * The pull request body of the protect step (the first of two when the
 * owner orphans something): why it comes first, and what it marks.
 */
export function protectionBody(plan: DecommissionPlan): string {
  return [
    `Prepares the decommission of environment \`${plan.environment}\`: the databases and buckets kept (orphaned) are protected before anything is removed.`,
    '',
    'Removing the environment deletes its Argo CD applications with everything they deployed. So that what is kept survives, this change first marks it: Argo CD never deletes or prunes an object annotated `argocd.argoproj.io/sync-options: Delete=false,Prune=false`, and Crossplane stops reconciling (and deleting) one annotated `crossplane.io/paused: "true"`. Once this is merged and Argo CD has synced the marks onto the live objects, the decommission page offers the removal: one change that deletes the rest.',
    '',
    '| Kind | Name | Marks |',
    '| --- | --- | --- |',
    ...plan.protection.map(
      o =>
        `| ${cell(o.kind)} | ${cell(o.name)} | ${Object.entries(o.marks)
          .map(([k, v]) => `\`${k}: ${v}\``)
          .join(', ')} |`,
    ),
    '',
    describePlan(plan),
    '',
    `### Changed files (${plan.changed.length})`,
    '',
    ...plan.changed.map(c => `- \`${c.path}\``),
  ].join('\n');
}
