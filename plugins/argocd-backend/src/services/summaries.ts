import {
  ApplicationSummary,
  ArgoCdApplication,
  OperationSummary,
  classifyApplication,
  commitUrl,
  isHelmChartSource,
  sourceRevisions,
} from '@epicshelter/plugin-argocd-common';
import { ArgoCdInstanceConfig } from '../config';

/**
 * The `fields=` projection used for lists: exactly what a summary needs, so
 * Argo CD does not send managed fields, resources, history or operation results.
 */
export const LIST_FIELDS = [
  'items.metadata.name',
  'items.metadata.namespace',
  'items.metadata.labels',
  'items.metadata.ownerReferences',
  'items.spec.project',
  'items.spec.source',
  'items.spec.sources',
  'items.spec.destination',
  'items.status.sync.status',
  'items.status.sync.revision',
  'items.status.sync.revisions',
  'items.status.health',
  'items.status.operationState.phase',
  'items.status.operationState.message',
  'items.status.operationState.startedAt',
  'items.status.operationState.finishedAt',
  'items.status.operationState.operation.initiatedBy',
  'items.status.operationState.operation.sync.dryRun',
  'items.status.reconciledAt',
  'items.status.conditions',
  // Small (bounded by revisionHistoryLimit); lets the history view start with
  // the commit metadata calls instead of another list call.
  'items.status.history',
].join(',');

/** Projection used to read an application's history. */
export const HISTORY_FIELDS = [
  'items.metadata.name',
  'items.spec.source',
  'items.spec.sources',
  'items.status.history',
].join(',');

/** Link to an application in the Argo CD UI. */
export function argoCdAppUrl(
  instance: ArgoCdInstanceConfig,
  name: string,
  namespace?: string,
): string {
  const app = namespace
    ? `${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`
    : encodeURIComponent(name);
  return `${instance.externalUrl}/applications/${app}`;
}

/** The application's current or last operation, with who started it and whether it was a dry run. */
export function operationSummary(
  app: ArgoCdApplication,
): OperationSummary | undefined {
  const op = app.status?.operationState;
  if (!op?.phase) return undefined;
  const by = op.operation?.initiatedBy;
  return {
    phase: op.phase,
    message: op.message,
    startedAt: op.startedAt,
    finishedAt: op.finishedAt,
    dryRun: op.operation?.sync?.dryRun || undefined,
    initiatedBy: by?.username ?? (by?.automated ? 'automated' : undefined),
  };
}

/**
 * When the last successful sync finished: the newest history entry (Argo CD
 * records only successful syncs there), or the last operation when it
 * succeeded later (and was not a dry run). A failed attempt never counts.
 */
export function lastSuccessfulSyncAt(
  app: ArgoCdApplication,
): string | undefined {
  const deployed = (app.status?.history ?? [])
    .map(h => h.deployedAt)
    .filter((d): d is string => Boolean(d));
  const op = app.status?.operationState;
  if (
    op?.phase === 'Succeeded' &&
    op.finishedAt &&
    !op.operation?.sync?.dryRun
  ) {
    deployed.push(op.finishedAt);
  }
  return deployed.sort((a, b) => Date.parse(b) - Date.parse(a))[0];
}

/** Turns a (possibly projected) Application into the portal's summary. */
export function toSummary(
  instance: ArgoCdInstanceConfig,
  app: ArgoCdApplication,
): ApplicationSummary {
  const name = app.metadata?.name ?? '';
  const labels = app.metadata?.labels ?? {};
  const sources =
    app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);
  const multiSource = Boolean(app.spec?.sources?.length);
  const revision = app.status?.sync?.revision;
  const revisions = app.status?.sync?.revisions;
  const gitIndex = multiSource
    ? sources.findIndex(s => !isHelmChartSource(s))
    : 0;
  const gitRevision = multiSource ? revisions?.[gitIndex] : revision;
  const op = app.status?.operationState;
  return {
    instance: instance.name,
    name,
    namespace: app.metadata?.namespace,
    project: app.spec?.project,
    labels,
    ...classifyApplication(name, labels),
    destination: app.spec?.destination,
    sources,
    multiSource,
    syncStatus: app.status?.sync?.status ?? 'Unknown',
    healthStatus: app.status?.health?.status ?? 'Unknown',
    healthMessage: app.status?.health?.message,
    revision: multiSource ? gitRevision : revision,
    revisions,
    commitUrl: commitUrl(sources[gitIndex]?.repoURL, gitRevision),
    sourceRevisions: sourceRevisions(
      sources,
      revision,
      multiSource ? revisions : undefined,
    ),
    operationPhase: op?.phase,
    operationMessage: op?.message,
    operation: operationSummary(app),
    lastSyncedAt: lastSuccessfulSyncAt(app),
    reconciledAt: app.status?.reconciledAt,
    conditions: app.status?.conditions ?? [],
    applicationSet: app.metadata?.ownerReferences?.find(
      o => o.kind === 'ApplicationSet',
    )?.name,
    argoCdUrl: argoCdAppUrl(instance, name, app.metadata?.namespace),
  };
}
