import {
  ArgoCdApplication,
  ArgoCdRevisionMetadata,
  HistoryEntry,
  HistorySource,
  isHelmChartSource,
  sourceRevisions,
} from '@epicshelter/plugin-argocd-common';

/** A commit whose metadata a history row shows. */
export interface RevisionLookup {
  /** Position of the source; set for multi-source applications (Argo CD's `sourceIndex`). */
  sourceIndex?: number;
  repoURL: string;
  revision: string;
}

/** A history entry and the commits (one per Git source) to read the metadata of. */
export interface HistoryRow {
  entry: HistoryEntry;
  lookups: RevisionLookup[];
}

/** The outcome of one metadata lookup. */
export type RevisionMetadataResult =
  | { ok: true; meta: ArgoCdRevisionMetadata }
  | { ok: false; error: string };

/**
 * The newest `limit` history entries of an application, newest first, each
 * with every source and its own revision (history `revisions`/`sources` of
 * multi-source applications), and the Git commits to look up. The first Git
 * source is the entry's main revision (Helm chart revisions are versions).
 */
export function historyRows(
  app: ArgoCdApplication,
  limit: number,
): HistoryRow[] {
  const history = [...(app.status?.history ?? [])].reverse().slice(0, limit);
  const specSources =
    app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);
  return history.map(h => {
    const sources = h.sources ?? (h.source ? [h.source] : specSources);
    const multi = Boolean(h.revisions);
    const perSource = sourceRevisions(sources, h.revision, h.revisions);
    const main = perSource.find(s => !isHelmChartSource(s.source));
    const entry: HistoryEntry = {
      id: h.id,
      revision: h.revision,
      revisions: h.revisions,
      deployedAt: h.deployedAt,
      deployStartedAt: h.deployStartedAt,
      initiatedBy:
        h.initiatedBy?.username ??
        (h.initiatedBy?.automated ? 'automated' : undefined),
      source: main?.source,
      commitUrl: main?.commitUrl,
      sources: perSource,
    };
    const lookups = perSource
      .filter(s => !isHelmChartSource(s.source) && s.revision)
      .map(s => ({
        sourceIndex: multi ? s.index : undefined,
        repoURL: s.source.repoURL ?? '',
        revision: s.revision as string,
      }));
    return { entry, lookups };
  });
}

/**
 * A history entry with its commits' metadata: per source, and on the entry
 * itself for its main (first Git) source.
 */
export function withMetadata(
  row: HistoryRow,
  results: RevisionMetadataResult[],
): HistoryEntry {
  const bySource = new Map(
    row.lookups.map((l, i) => [l.sourceIndex ?? 0, results[i]]),
  );
  const sources: HistorySource[] = (row.entry.sources ?? []).map(s => {
    const result = bySource.get(s.index);
    if (!result) return s;
    if (!result.ok) return { ...s, metadataError: result.error };
    const { author, message, date, tags } = result.meta;
    return { ...s, author, message, date, tags };
  });
  const main = sources.find(s => s.source === row.entry.source);
  return {
    ...row.entry,
    sources,
    ...(main
      ? {
          author: main.author,
          message: main.message,
          date: main.date,
          tags: main.tags,
          metadataError: main.metadataError,
        }
      : {}),
  };
}
