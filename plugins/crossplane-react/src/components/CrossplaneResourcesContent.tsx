import { useState } from 'react';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  CrossplaneClusterResult,
  CrossplaneNode,
} from '@epicshelter/plugin-crossplane-common';
import { useCrossplaneResources } from '../live/useCrossplaneResources';
import { CrossplaneGraph } from './CrossplaneGraph';
import { DesiredVsLive } from './DesiredVsLive';
import { NodeDetails } from './NodeDetails';
import {
  ConditionStatus,
  HealthLabel,
  ROLE_LABELS,
  nodeBadges,
  nodeProblem,
  statusOf,
} from './status';
import {
  FIXED_TABLE_OPTIONS,
  FREE_TEXT_COLUMN,
  Identifier,
  MessageText,
  fixedColumn,
  oneLineColumn,
} from './tableCells';

/**
 * Widths of the resources table's columns in px (Message takes the rest):
 * at 1280 px with the sidebar open, Message keeps about 255 px. Kinds and
 * names wrap between their words; State keeps its one line (health and
 * reason), and Conditions one line per condition.
 */
const COLUMN_WIDTHS = {
  kind: 130,
  name: 160,
  state: 220,
  conditions: 150,
  namespace: 100,
};

/** Banner shown when the live data comes from the fake Kubernetes API. */
function SandboxBanner() {
  return (
    <Alert severity="warning" data-testid="crossplane-sandbox-banner">
      Sandbox data: these resources come from the fake Kubernetes API
      (packages/fake-kubernetes), not from a real cluster.
    </Alert>
  );
}

function ClusterView(props: {
  result: CrossplaneClusterResult;
  onSelect: (n: CrossplaneNode) => void;
}) {
  const [view, setView] = useState<'graph' | 'table'>('graph');
  const { result } = props;
  const columns: TableColumn<CrossplaneNode>[] = [
    {
      title: 'Kind',
      ...fixedColumn(COLUMN_WIDTHS.kind),
      render: n => (
        <>
          <Identifier text={n.kind} />
          <Typography variant="caption" color="textSecondary">
            {ROLE_LABELS[n.role] ?? n.role}
          </Typography>
        </>
      ),
    },
    {
      title: 'Name',
      ...fixedColumn(COLUMN_WIDTHS.name),
      render: n => <Identifier text={n.name} />,
    },
    {
      title: 'State',
      ...oneLineColumn(COLUMN_WIDTHS.state),
      render: n => {
        const status = statusOf(n);
        return (
          <HealthLabel health={status.health} reason={status.reason} oneLine />
        );
      },
    },
    {
      // Ready and Synced where Crossplane writes them, Installed and Healthy
      // on providers and package revisions; none on ProviderConfigs and
      // Secrets (their State says how they are)
      title: 'Conditions',
      ...oneLineColumn(COLUMN_WIDTHS.conditions),
      render: n => {
        const badges = nodeBadges(n);
        return badges.length > 0
          ? badges.map(b => (
              <ConditionStatus
                key={b.label}
                label={b.label}
                value={b.value}
                oneLine
              />
            ))
          : '—';
      },
    },
    {
      title: 'Message',
      ...FREE_TEXT_COLUMN,
      render: n => <MessageText text={nodeProblem(n) ?? ''} />,
    },
    {
      title: 'Namespace',
      ...fixedColumn(COLUMN_WIDTHS.namespace),
      render: n => <Identifier text={n.namespace ?? '(cluster)'} />,
    },
  ];
  return (
    <Box mb={3}>
      <Typography variant="h6">
        Cluster {result.title ?? result.cluster}
      </Typography>
      {result.error && (
        <Alert severity="error">
          Cannot read Crossplane resources from cluster {result.cluster}:{' '}
          {result.error.message}
        </Alert>
      )}
      {!result.error && result.nodes.length === 0 && (
        <Alert severity="info">
          No Crossplane resources match in this cluster.
        </Alert>
      )}
      {!result.error && result.nodes.length > 0 && (
        <>
          <Tabs
            value={view}
            onChange={(_e, v) => setView(v)}
            indicatorColor="primary"
          >
            <Tab value="graph" label="Graph" />
            <Tab value="table" label="Table" />
          </Tabs>
          {view === 'graph' ? (
            <Box mt={2}>
              <CrossplaneGraph result={result} onSelect={props.onSelect} />
            </Box>
          ) : (
            <Table
              options={FIXED_TABLE_OPTIONS}
              columns={columns}
              data={result.nodes}
              onRowClick={(_e, row) => row && props.onSelect(row)}
            />
          )}
        </>
      )}
    </Box>
  );
}

/**
 * Props of {@link CrossplaneResourcesContent}.
 * @public
 */
export interface CrossplaneResourcesContentProps {
  /** Hide the "Desired (Git) vs live" table (shown by default). */
  hideDesiredVsLive?: boolean;
}

/**
 * The Crossplane view of the entity in context (`useEntity`): per cluster a
 * graph (claim/XR → composed resources, Ready/Synced per node) or table, a
 * side panel per node (conditions, events, YAML), and desired (Git) vs live.
 * The crossplane plugin's entity tab, and reusable by other plugins' pages in
 * both frontend systems; it uses the registered crossplane API, else talks to
 * the crossplane backend directly.
 * @public
 */
export function CrossplaneResourcesContent(
  props: CrossplaneResourcesContentProps = {},
) {
  const { entity } = useEntity();
  const ref = getCompoundEntityRef(entity);
  // the open node, by id: a refetch shows its new state in the panel
  const [selectedId, setSelectedId] = useState<string>();
  const { value, loading, error } = useCrossplaneResources(ref);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const data = value!;
  return (
    <Box data-testid="crossplane-resources-content">
      {data.sandbox && data.liveAvailable && <SandboxBanner />}
      <Typography variant="body2" color="textSecondary" gutterBottom>
        Selector <code>{data.selector}</code>
        {data.namespace ? ` in namespace ${data.namespace}` : ''}
      </Typography>
      {data.clusters.map(c => (
        <ClusterView
          key={c.cluster}
          result={c}
          onSelect={n => setSelectedId(n.id)}
        />
      ))}
      {!props.hideDesiredVsLive && <DesiredVsLive data={data} />}
      <NodeDetails
        entity={ref}
        node={data.clusters
          .flatMap(c => c.nodes)
          .find(n => n.id === selectedId)}
        yamlAllowed={data.yamlAllowed}
        onClose={() => setSelectedId(undefined)}
      />
    </Box>
  );
}
