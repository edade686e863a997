import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  StructuredMetadataTable,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useLocation } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import type {
  GitOpsCommitDetails,
  GitOpsCommitFile,
} from '@epicshelter/plugin-environments-common';

const fileColumns: TableColumn<GitOpsCommitFile>[] = [
  { title: 'File', field: 'path' },
  { title: 'Change', field: 'change' },
  {
    title: 'Lines',
    render: f => (
      <span>
        <span style={{ color: '#2e7d32' }}>+{f.additions}</span>{' '}
        <span style={{ color: '#c62828' }}>−{f.deletions}</span>
      </span>
    ),
  },
];

/** The commit id at the end of `/gitops/commits/<sha>`. */
export function commitIdFromPath(pathname: string): string {
  const match = /\/commits\/([^/]+)\/?$/.exec(pathname);
  return match ? decodeURIComponent(match[1]) : '';
}

/**
 * The page a change published to the local GitOps repository links to
 * (`/gitops/commits/<sha>`): the commit's message, author, committer,
 * parents and the files it changed, as `git show --stat` tells. It shows a
 * commit of a GitHub or GitLab GitOps repository as well.
 * @public
 */
export function GitOpsCommitPage() {
  const sha = commitIdFromPath(useLocation().pathname);
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const { value, loading, error } = useAsync(async () => {
    const base = await discoveryApi.getBaseUrl('environments');
    const res = await fetchApi.fetch(
      `${base}/commits/${encodeURIComponent(sha)}`,
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as GitOpsCommitDetails;
  }, [sha]);

  let body;
  if (loading) body = <Progress />;
  else if (error || !value) {
    body = (
      <WarningPanel
        title="This commit cannot be shown"
        message={
          error instanceof ResponseError
            ? error.body.error.message
            : error?.message ?? 'No answer'
        }
      />
    );
  } else {
    const files = value.files;
    const added = files.reduce((n, f) => n + f.additions, 0);
    const removed = files.reduce((n, f) => n + f.deletions, 0);
    body = (
      <Grid container spacing={3} data-testid="gitops-commit">
        <Grid item xs={12} md={6}>
          <InfoCard title={value.subject}>
            {value.body && (
              <Typography
                variant="body2"
                component="pre"
                style={{ whiteSpace: 'pre-wrap' }}
              >
                {value.body}
              </Typography>
            )}
            <StructuredMetadataTable
              metadata={{
                commit: value.sha,
                author: `${value.author.name} <${value.author.email}>, ${value.author.date}`,
                committer: `${value.committer.name} <${value.committer.email}>, ${value.committer.date}`,
                parents: value.parents.length
                  ? value.parents.map(p => p.slice(0, 12)).join(', ')
                  : 'none (first commit)',
              }}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <Table<GitOpsCommitFile>
            title={`${
              value.filesTruncated
                ? `Truncated: more files changed, the first ${files.length} shown`
                : `${files.length} file${files.length === 1 ? '' : 's'} changed`
            }, ${added} insertion${
              added === 1 ? '' : 's'
            }(+), ${removed} deletion${removed === 1 ? '' : 's'}(−)`}
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={fileColumns}
            data={files}
          />
        </Grid>
      </Grid>
    );
  }
  return (
    <Page themeId="tool">
      <Header
        title={`Commit ${sha.slice(0, 12)}`}
        subtitle="A change to the GitOps repository"
      />
      <Content>{body}</Content>
    </Page>
  );
}
