import { Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  CrossplaneResourcesResponse,
  DesiredLiveEntry,
} from '@epicshelter/plugin-crossplane-common';
import { DesiredLiveStatusLabel, messageCellStyle } from './status';

/**
 * Identifying columns are as wide as their one-line content (material-table
 * otherwise splits the width evenly and wraps names mid-token); Details
 * takes the rest, keeps its line breaks and wraps between words.
 */
const shrinkToFit = {
  width: '1%',
  cellStyle: { whiteSpace: 'nowrap' },
} as const;

const columns: TableColumn<DesiredLiveEntry>[] = [
  { title: 'Resource', ...shrinkToFit, render: e => e.resourceName ?? e.name },
  { title: 'Kind', field: 'kind', ...shrinkToFit },
  {
    title: 'Name',
    ...shrinkToFit,
    render: e => (e.namespace ? `${e.namespace}/${e.name}` : e.name),
  },
  {
    title: 'State',
    ...shrinkToFit,
    render: e => <DesiredLiveStatusLabel entry={e} />,
  },
  { title: 'Details', field: 'message', cellStyle: messageCellStyle },
  {
    title: 'Declared in',
    ...shrinkToFit,
    // the file name; the folder is the table's source line, the full path
    // a hover away
    render: e =>
      e.desired?.path ? (
        <span title={e.desired.path}>{e.desired.path.split('/').pop()}</span>
      ) : (
        '—'
      ),
  },
];

/** What Git declares for the environment next to what is live. */
export function DesiredVsLive(props: { data: CrossplaneResourcesResponse }) {
  const { data } = props;
  return (
    <>
      {!data.liveAvailable && (
        <Alert severity="info">
          Desired state only: no Kubernetes cluster is configured, so this lists
          what the GitOps repository declares, not what exists.
        </Alert>
      )}
      {data.desired.error && (
        <Alert severity="warning">{data.desired.error}</Alert>
      )}
      <Table
        title={
          <Typography variant="h6">
            Desired (Git) vs live
            {data.environment ? ` — environment ${data.environment}` : ''}
          </Typography>
        }
        subtitle={
          data.desired.source ? `Source: ${data.desired.source}` : undefined
        }
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={data.comparison}
        emptyContent={
          <Typography variant="body2" style={{ padding: 16 }}>
            Nothing declared or live for this entity.
          </Typography>
        }
      />
    </>
  );
}
