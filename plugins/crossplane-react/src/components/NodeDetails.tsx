import {
  CodeSnippet,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { CompoundEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import Alert from '@material-ui/lab/Alert';
import {
  CROSSPLANE_RESOURCES_SIGNAL_CHANNEL,
  type CrossplaneCondition,
  type CrossplaneEvent,
  type CrossplaneNode,
} from '@epicshelter/plugin-crossplane-common';
import { useLiveAsync } from '../live/useLiveAsync';
import { useCrossplaneApi } from './useCrossplaneApi';
import {
  ConditionStatus,
  HealthLabel,
  ROLE_LABELS,
  messageCellStyle,
  messageStyle,
  statusOf,
} from './status';

function age(time?: string): string {
  if (!time) return '';
  const ms = Date.now() - Date.parse(time);
  if (Number.isNaN(ms)) return '';
  const m = Math.floor(ms / 60000);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** Types, reasons (one CamelCase token each) and ages never wrap; messages do. */
const oneLine = { cellStyle: { whiteSpace: 'nowrap' } } as const;

const conditionColumns: TableColumn<CrossplaneCondition>[] = [
  { title: 'Type', field: 'type', ...oneLine },
  { title: 'Status', field: 'status', ...oneLine },
  { title: 'Reason', field: 'reason', ...oneLine },
  { title: 'Message', field: 'message', cellStyle: messageCellStyle },
  { title: 'Age', render: c => age(c.lastTransitionTime), ...oneLine },
];

const eventColumns: TableColumn<CrossplaneEvent>[] = [
  { title: 'Type', field: 'type', ...oneLine },
  { title: 'Reason', field: 'reason', ...oneLine },
  { title: 'Message', field: 'message', cellStyle: messageCellStyle },
  { title: 'Count', field: 'count', ...oneLine },
  { title: 'Age', render: e => age(e.lastTimestamp), ...oneLine },
];

function Field(props: { label: string; children: React.ReactNode }) {
  return (
    <Box mb={1}>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="body2">{props.children}</Typography>
    </Box>
  );
}

/** The open node's events and YAML follow the backend's change signal too. */
const LIVE = { channels: [CROSSPLANE_RESOURCES_SIGNAL_CHANNEL] };

/** The node's own events, fetched when the panel opens (one Kubernetes call). */
function NodeEvents(props: { entity: CompoundEntityRef; nodeId: string }) {
  const api = useCrossplaneApi();
  const { value, loading, error } = useLiveAsync(
    () => api.getEvents(props.entity, props.nodeId),
    [
      api,
      props.entity.kind,
      props.entity.namespace,
      props.entity.name,
      props.nodeId,
    ],
    LIVE,
  );
  if (loading) return <Progress />;
  if (error) {
    return <Alert severity="info">Events unavailable: {error.message}</Alert>;
  }
  const events = (value?.events ?? []).filter(e => e.nodeId === props.nodeId);
  return (
    <Table
      title="Events"
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={eventColumns}
      data={events}
      emptyContent={<Box p={2}>No events</Box>}
    />
  );
}

/** The node's YAML, fetched when the panel opens. */
function NodeYaml(props: { entity: CompoundEntityRef; nodeId: string }) {
  const api = useCrossplaneApi();
  const { value, loading, error } = useLiveAsync(
    () => api.getYaml(props.entity, props.nodeId),
    [
      api,
      props.entity.kind,
      props.entity.namespace,
      props.entity.name,
      props.nodeId,
    ],
    LIVE,
  );
  if (loading) return <Progress />;
  if (error) {
    return <Alert severity="info">YAML unavailable: {error.message}</Alert>;
  }
  return <CodeSnippet text={value!.yaml} language="yaml" showCopyCodeButton />;
}

/** Why the panel shows no YAML for a node. */
function noYamlReason(node: CrossplaneNode, hasObject: boolean): string {
  if (hasObject) {
    return 'You are not allowed to view the YAML of these resources.';
  }
  if (node.role === 'secret') {
    return 'A Secret: shown by name and namespace only, never read.';
  }
  return 'No object to show.';
}

/** How prominent the message of each health is. */
const SEVERITY = {
  healthy: 'success',
  progressing: 'info',
  paused: 'info',
  deleting: 'warning',
  failing: 'error',
  unknown: 'info',
} as const;

/** Side panel with everything about one node. */
export function NodeDetails(props: {
  entity: CompoundEntityRef;
  node?: CrossplaneNode;
  /** Whether the caller may view YAML (else the panel says so). */
  yamlAllowed: boolean;
  onClose: () => void;
}) {
  const { node } = props;
  /**
   * Unknown (CRD missing) and missing nodes have no object behind them;
   * Secrets are never read.
   */
  const hasObject =
    node?.role !== 'unknown' &&
    node?.role !== 'missing' &&
    node?.role !== 'secret';
  const status = node ? statusOf(node) : undefined;
  return (
    <Drawer anchor="right" open={Boolean(node)} onClose={props.onClose}>
      {node && (
        <Box
          width={720}
          maxWidth="100vw"
          p={3}
          role="dialog"
          aria-label={`${node.kind} ${node.name}`}
        >
          <Box
            display="flex"
            alignItems="center"
            justifyContent="space-between"
          >
            <Typography variant="h5">
              {node.kind} {node.name}
            </Typography>
            <IconButton aria-label="Close" onClick={props.onClose}>
              <CloseIcon />
            </IconButton>
          </Box>
          <Typography variant="body2" color="textSecondary" gutterBottom>
            {node.apiVersion} · {ROLE_LABELS[node.role] ?? node.role}
            {node.crossplaneVersion
              ? ` · Crossplane ${node.crossplaneVersion}`
              : ''}
            {node.namespace
              ? ` · namespace ${node.namespace}`
              : ' · cluster-scoped'}{' '}
            · cluster {node.cluster}
          </Typography>
          {node.problem && (
            <Alert
              severity={node.role === 'unknown' ? 'warning' : 'info'}
              style={messageStyle}
            >
              {node.problem}
            </Alert>
          )}
          {status?.message &&
            status.health !== 'healthy' &&
            status.message !== node.problem && (
              <Alert
                severity={SEVERITY[status.health]}
                style={messageStyle}
                data-testid="crossplane-node-status-message"
              >
                {status.message}
              </Alert>
            )}
          <Box display="flex" my={2} style={{ gap: 16 }}>
            {status && (
              <HealthLabel health={status.health} reason={status.reason} />
            )}
            <ConditionStatus label="Ready" value={node.ready} />
            <ConditionStatus label="Synced" value={node.synced} />
          </Box>
          {node.externalName && (
            <Field label="External name">{node.externalName}</Field>
          )}
          {node.providerConfig && (
            <Field label="Provider config">
              {node.providerConfig.kind ? `${node.providerConfig.kind}/` : ''}
              {node.providerConfig.name}
            </Field>
          )}
          {node.composition && (
            <Field label="Composition">
              {node.composition.name ?? '—'}
              {node.composition.revision
                ? ` (revision ${node.composition.revision})`
                : ''}
              {node.composition.updatePolicy
                ? `, update policy ${node.composition.updatePolicy}`
                : ''}
            </Field>
          )}
          {node.connectionSecret && (
            <Field label="Connection secret (name only, never read)">
              {node.connectionSecret.namespace
                ? `${node.connectionSecret.namespace}/`
                : ''}
              {node.connectionSecret.name}
            </Field>
          )}
          {node.conditions.length > 0 && (
            <Box my={2}>
              <Table
                title="Conditions"
                options={{ paging: false, search: false, padding: 'dense' }}
                columns={conditionColumns}
                data={node.conditions}
              />
            </Box>
          )}
          {hasObject && (
            <Box my={2}>
              <NodeEvents entity={props.entity} nodeId={node.id} />
            </Box>
          )}
          <Box my={2}>
            <Typography variant="h6">YAML (credentials redacted)</Typography>
            {hasObject && props.yamlAllowed ? (
              <NodeYaml entity={props.entity} nodeId={node.id} />
            ) : (
              <Typography variant="body2" color="textSecondary">
                {noYamlReason(node, hasObject)}
              </Typography>
            )}
          </Box>
        </Box>
      )}
    </Drawer>
  );
}
