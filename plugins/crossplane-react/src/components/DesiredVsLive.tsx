import { Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  CrossplaneResourcesResponse,
  DesiredLiveEntry,
} from '@epicshelter/plugin-crossplane-common';
import { DesiredLiveStatusLabel } from './status';
import {
  FIXED_TABLE_OPTIONS,
  FREE_TEXT_COLUMN,
  Identifier,
  MessageText,
  fixedColumn,
  oneLineColumn,
} from './tableCells';

/**
 * Fixed column widths in px (Details takes the rest, keeps its line breaks
 * and wraps between words): identifiers wrap between their words, State
 * keeps its one line.
 */
const columns: TableColumn<DesiredLiveEntry>[] = [
  {
    title: 'Resource',
    ...fixedColumn(120),
    render: e => <Identifier text={e.resourceName ?? e.name} />,
  },
  {
    title: 'Kind',
    ...fixedColumn(125),
    render: e => <Identifier text={e.kind} />,
  },
  {
    title: 'Name',
    ...fixedColumn(150),
    render: e => (
      <Identifier text={e.namespace ? `${e.namespace}/${e.name}` : e.name} />
    ),
  },
  {
    title: 'State',
    ...oneLineColumn(250),
    render: e => <DesiredLiveStatusLabel entry={e} oneLine />,
  },
  {
    title: 'Details',
    ...FREE_TEXT_COLUMN,
    render: e => <MessageText text={e.message ?? ''} />,
  },
  {
    title: 'Declared in',
    ...fixedColumn(120),
    // the file name; the folder is the table's source line, the full path
    // a hover away
    render: e =>
      e.desired?.path ? (
        <Identifier
          text={e.desired.path.split('/').pop()!}
          title={e.desired.path}
        />
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
        options={{ ...FIXED_TABLE_OPTIONS, search: false }}
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
