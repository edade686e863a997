import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ArgoCdResourceNode,
  HistoryEntry,
  describeSource,
} from '@epicshelter/plugin-argocd-common';
import { ArgoCdAppRef, argoCdApiRef } from '../api/ArgoCdApi';
import { useLiveArgoCd } from './useLiveArgoCd';
import {
  ArgoCdHealthStatus,
  ArgoCdSyncStatus,
} from '@epicshelter/plugin-argocd-react';
import { Revision, When } from './status';
import { ApplicationSetConditions } from './ApplicationFacts';

/** The deployed revision; for multi-source applications, every source's own. */
const HistoryRevisions = ({ entry }: { entry: HistoryEntry }) => {
  const sources = entry.sources ?? [];
  if (sources.length < 2) {
    return (
      <Revision
        revision={entry.sources?.[0]?.revision ?? entry.revision}
        url={entry.commitUrl}
      />
    );
  }
  return (
    <>
      {sources.map(s => (
        <div key={s.index} title={s.source.repoURL}>
          <Revision revision={s.revision} url={s.commitUrl} />{' '}
          <Typography variant="caption" color="textSecondary">
            {describeSource(s.source)}
          </Typography>
        </div>
      ))}
    </>
  );
};

/**
 * The Message of a deployment whose commit Argo CD could not read (e.g. a
 * commit no longer in its repository): a plain statement, not an error of
 * the deployment; Argo CD's reason is a hover away.
 */
const CommitDetailsUnavailable = ({ reason }: { reason: string }) => (
  <Typography
    variant="body2"
    color="textSecondary"
    component="span"
    title={reason}
    data-testid="argocd-commit-details-unavailable"
  >
    Commit details unavailable: Argo CD could not read this revision
  </Typography>
);

const historyColumns: TableColumn<HistoryEntry>[] = [
  { title: 'Deployed', render: h => <When at={h.deployedAt} /> },
  { title: 'Revision', render: h => <HistoryRevisions entry={h} /> },
  { title: 'Author', render: h => h.author ?? '–' },
  {
    title: 'Message',
    render: h =>
      h.message ??
      (h.metadataError ? (
        <CommitDetailsUnavailable reason={h.metadataError} />
      ) : (
        '–'
      )),
  },
  { title: 'Commit date', render: h => <When at={h.date} /> },
  { title: 'By', render: h => h.initiatedBy ?? '–' },
];

/** Deployment history with commit author, message and date. */
export const HistoryTable = ({ appRef }: { appRef: ArgoCdAppRef }) => {
  const api = useApi(argoCdApiRef);
  const { value, loading, error } = useLiveArgoCd(
    () => api.getHistory(appRef),
    [api, appRef.instance, appRef.name],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <Table
      title={`History of ${appRef.name}`}
      options={{ paging: false, search: false, padding: 'dense' }}
      data={value?.items ?? []}
      columns={historyColumns}
      emptyContent={
        <Box p={2}>
          Argo CD has no deployment history for this application yet.
        </Box>
      }
    />
  );
};

const key = (n: {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}) => `${n.group ?? ''}/${n.kind}/${n.namespace ?? ''}/${n.name}`;

/** Resource tree: nested by owner, with health per node and sync state for managed resources. */
export const ResourceTree = ({ appRef }: { appRef: ArgoCdAppRef }) => {
  const api = useApi(argoCdApiRef);
  const { value, loading, error } = useLiveArgoCd(
    () => api.getResourceTree(appRef),
    [api, appRef.instance, appRef.name],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const nodes = value?.tree.nodes ?? [];
  const byUid = new Map(nodes.map(n => [n.uid, n]));
  const children = new Map<string, ArgoCdResourceNode[]>();
  const roots: ArgoCdResourceNode[] = [];
  for (const n of nodes) {
    const parent = n.parentRefs?.find(p => p.uid && byUid.has(p.uid));
    if (parent?.uid)
      children.set(parent.uid, [...(children.get(parent.uid) ?? []), n]);
    else roots.push(n);
  }
  const rows: Array<{ node: ArgoCdResourceNode; depth: number }> = [];
  const walk = (n: ArgoCdResourceNode, depth: number) => {
    rows.push({ node: n, depth });
    for (const c of children.get(n.uid ?? '') ?? []) walk(c, depth + 1);
  };
  roots.forEach(r => walk(r, 0));
  return (
    <Table
      title="Resources"
      options={{ paging: false, search: false, padding: 'dense' }}
      data={rows.map(r => ({ ...r, id: r.node.uid }))}
      columns={[
        {
          title: 'Resource',
          render: ({ node, depth }) => (
            <Box pl={depth * 3} display="flex" flexDirection="column">
              <Typography variant="body2">
                {depth > 0 ? '└ ' : ''}
                <strong>{node.kind}</strong> {node.name}
              </Typography>
              {node.health?.message && (
                <Typography variant="caption" color="error">
                  {node.health.message}
                </Typography>
              )}
            </Box>
          ),
        },
        { title: 'Namespace', render: ({ node }) => node.namespace ?? '–' },
        {
          title: 'Health',
          render: ({ node }) =>
            node.health?.status ? (
              <ArgoCdHealthStatus status={node.health.status} />
            ) : (
              '–'
            ),
        },
        {
          title: 'Sync',
          render: ({ node }) => {
            const s = value?.syncStatus[key(node)];
            return s ? <ArgoCdSyncStatus status={s} /> : '–';
          },
        },
        {
          title: 'Info',
          render: ({ node }) =>
            (node.info ?? []).map(i => `${i.name}: ${i.value}`).join(', ') ||
            '–',
        },
      ]}
      emptyContent={
        <Box p={2}>Argo CD reports no live resources for this application.</Box>
      }
    />
  );
};

/** The parent ApplicationSet and the applications it generated. */
export const ApplicationSetInfo = ({
  appRef,
  conditionsShown,
}: {
  appRef: ArgoCdAppRef;
  /** The card already shows the ApplicationSet's conditions. */
  conditionsShown?: boolean;
}) => {
  const api = useApi(argoCdApiRef);
  const { value, error } = useLiveArgoCd(
    () => api.getApplication(appRef),
    [api, appRef.instance, appRef.name],
  );
  if (error) return <ResponseErrorPanel error={error} />;
  const set = value?.applicationSet;
  if (!set) return null;
  return (
    <Box mb={1}>
      <Typography variant="body2">
        Generated by ApplicationSet <strong>{set.name}</strong>
        {set.applications.length > 0 && (
          <>
            {' '}
            together with:{' '}
            {set.applications.filter(a => a !== appRef.name).join(', ') ||
              'no other application'}
          </>
        )}
      </Typography>
      {!conditionsShown && (
        <ApplicationSetConditions name={set.name} conditions={set.conditions} />
      )}
    </Box>
  );
};
