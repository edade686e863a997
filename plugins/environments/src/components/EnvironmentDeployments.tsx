import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import {
  EnvironmentDeployment,
  getEnvironmentName,
} from '@epicshelter/plugin-environments-common';
import { environmentsApiRef } from '../api';
import {
  ArgoCdHealthStatus,
  ArgoCdSyncStatus,
} from '@epicshelter/plugin-argocd-react';
import { RevisionStatus, shortSha } from './status';

const columns: TableColumn<EnvironmentDeployment>[] = [
  { title: 'Instance', field: 'instance' },
  { title: 'Cluster', render: d => d.cluster ?? '—' },
  {
    title: 'Application',
    render: d =>
      d.argoCdUrl ? <Link to={d.argoCdUrl}>{d.name}</Link> : d.name,
  },
  { title: 'Layer', field: 'layer' },
  { title: 'Sync', render: d => <ArgoCdSyncStatus status={d.syncStatus} /> },
  {
    title: 'Health',
    render: d => <ArgoCdHealthStatus status={d.healthStatus} />,
  },
  {
    title: 'Revision',
    render: d =>
      d.commitUrl ? (
        <Link to={d.commitUrl}>{shortSha(d.revision)}</Link>
      ) : (
        shortSha(d.revision)
      ),
  },
  {
    title: 'Compared with the GitOps branch',
    render: d => (
      <span data-testid={`revision-${d.instance}-${d.name}`}>
        <RevisionStatus value={d.comparison} />
      </span>
    ),
  },
  { title: 'Last sync', render: d => d.lastSyncedAt ?? '—' },
];

/** The "Deployments" tab: Argo CD applications per instance with Git revision vs branch head. @public */
export function EnvironmentDeployments() {
  const { entity } = useEntity();
  const api = useApi(environmentsApiRef);
  const name = getEnvironmentName(entity);
  const { value, loading, error } = useAsync(
    () => api.getDeployments(name),
    [api, name],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const failing = value.instances.filter(i => i.status === 'error');
  return (
    <div data-testid="environment-deployments">
      {value.sandbox && (
        <WarningPanel
          severity="info"
          title="Sandbox data"
          message="At least one Argo CD instance is a sandbox (fake) server: these applications are not real deployments."
        />
      )}
      {value.error && (
        <WarningPanel title="Argo CD not reachable" message={value.error} />
      )}
      {failing.map(i => (
        <WarningPanel
          key={i.name}
          title={`Argo CD instance ${i.name} failed`}
          message={`${
            i.error ?? 'error'
          } — the other instances' applications are still shown.`}
        />
      ))}
      <Typography variant="body2" paragraph data-testid="gitops-head">
        {value.head
          ? `Head of ${value.head.branch}: ${shortSha(value.head.sha)}`
          : `Head of the GitOps branch unknown: ${
              value.headError ?? 'no repository configured'
            }`}
      </Typography>
      {value.items.length === 0 && !value.error ? (
        <EmptyState
          missing="data"
          title="No Argo CD application yet"
          description={`No instance has ${name}-workloads or ${name}-infrastructure. The ApplicationSets create them once the environment's folder is on the GitOps branch.`}
        />
      ) : (
        <Table<EnvironmentDeployment>
          title="Applications"
          options={{ paging: false, search: false, grouping: false }}
          columns={columns}
          data={[...value.items].sort(
            (a, b) =>
              a.instance.localeCompare(b.instance) ||
              (a.cluster ?? '').localeCompare(b.cluster ?? '') ||
              a.layer.localeCompare(b.layer),
          )}
        />
      )}
    </div>
  );
}
