import {
  Progress,
  ResponseErrorPanel,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
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
import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import type {
  CrossplaneResourcesResponse,
  DesiredLiveEntry,
} from '@epicshelter/plugin-crossplane-common';
import { getEnvironmentSpec } from '@epicshelter/plugin-environments-common';

function LiveStatus({ value }: { value: DesiredLiveEntry['status'] }) {
  switch (value) {
    case 'ready':
      return <StatusOK>Ready</StatusOK>;
    case 'failing':
      return <StatusError>Failing</StatusError>;
    case 'not-created':
      return <StatusPending>Not created yet</StatusPending>;
    case 'not-declared':
      return <StatusWarning>Live, no longer declared</StatusWarning>;
    default:
      return <StatusAborted>Unknown</StatusAborted>;
  }
}

const columns: TableColumn<DesiredLiveEntry>[] = [
  { title: 'Kind', field: 'kind' },
  {
    title: 'Name',
    render: e => (e.namespace ? `${e.namespace}/${e.name}` : e.name),
  },
  { title: 'Resource', render: e => e.resourceName ?? '—' },
  {
    title: 'Status',
    render: e => (
      <span data-testid={`infra-${e.kind}-${e.name}`}>
        <LiveStatus value={e.status} />
      </span>
    ),
  },
  { title: 'Cluster', render: e => e.cluster ?? '—' },
  { title: 'Why', render: e => e.message ?? '' },
];

/**
 * The "Infrastructure" tab: each resource the environment declares, with its
 * live state from the Crossplane plugin (desired vs live). The Crossplane tab
 * of the same entity shows the full claim → XR → managed resource graph.
 * @public
 */
export function EnvironmentInfrastructure() {
  const { entity } = useEntity();
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const spec = getEnvironmentSpec(entity);
  // The crossplane backend's documented route (`/api/crossplane`), so this
  // tab does not depend on the crossplane frontend plugin being installed.
  const { value, loading, error } = useAsync(async () => {
    const base = await discoveryApi.getBaseUrl('crossplane');
    const { kind, namespace, name } = getCompoundEntityRef(entity);
    const res = await fetchApi.fetch(
      `${base}/entity/${[kind, namespace, name]
        .map(encodeURIComponent)
        .join('/')}/resources`,
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as CrossplaneResourcesResponse;
  }, [discoveryApi, fetchApi, entity]);
  if (loading) return <Progress />;
  const declared: DesiredLiveEntry[] = (spec?.resources ?? []).map(r => ({
    kind: r.crossplane.kind,
    name: r.crossplane.name,
    namespace: r.crossplane.namespace,
    resourceName: r.name,
    status: 'unknown',
    message: 'Declared in Git; live state not available',
  }));
  return (
    <div data-testid="environment-infrastructure">
      {error && (
        <ResponseErrorPanel
          error={error}
          title="Live Crossplane state not available; showing what Git declares"
        />
      )}
      {value?.sandbox && (
        <WarningPanel
          severity="info"
          title="Sandbox data"
          message="The Kubernetes API behind this view is a sandbox (fake) server."
        />
      )}
      {value && !value.liveAvailable && (
        <WarningPanel
          severity="info"
          title="Desired state only"
          message="No Kubernetes cluster is configured: the table shows what the GitOps repository declares."
        />
      )}
      <Typography variant="body2" paragraph>
        Open the Crossplane tab for the claim → composite → managed resource
        graph, conditions and events.
      </Typography>
      <Table<DesiredLiveEntry>
        title="Resources: Git vs live"
        options={{ paging: false, search: false }}
        columns={columns}
        data={value?.comparison ?? declared}
        emptyContent={
          <div style={{ padding: 16 }}>
            This environment declares no resources.
          </div>
        }
      />
    </div>
  );
}
