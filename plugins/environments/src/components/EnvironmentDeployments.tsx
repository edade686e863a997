import type { ReactNode } from 'react';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  EnvironmentDeployment,
  EnvironmentDeploymentsResponse,
  getEnvironmentName,
} from '@epicshelter/plugin-environments-common';
import { environmentsApiRef } from '../api';
import {
  ArgoCdHealthStatus,
  ArgoCdSyncStatus,
} from '@epicshelter/plugin-argocd-react';
import { RevisionStatus, formatTimestamp, shortSha } from './status';
import { useLiveAsync } from '@epicshelter/plugin-crossplane-react';
import { ENVIRONMENT_LIVE_OPTIONS } from './live';

/**
 * The host of a cluster API URL (`https://kubernetes.default.svc` →
 * `kubernetes.default.svc`); a destination name is returned as it is.
 */
export function clusterLabel(cluster: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(cluster)) return cluster;
  try {
    return new URL(cluster).host || cluster;
  } catch {
    return cluster;
  }
}

const noWrap = { whiteSpace: 'nowrap' } as const;
/**
 * A column as wide as its one-line content: material-table otherwise splits
 * the width evenly, squeezing long values and wrapping them mid-word.
 */
const shrinkToFit = { width: '1%', cellStyle: noWrap } as const;

function Secondary(props: { children: ReactNode; title?: string }) {
  const text = (
    <Typography
      variant="caption"
      color="textSecondary"
      component="div"
      noWrap
      style={{ maxWidth: 200 }}
    >
      {props.children}
    </Typography>
  );
  return props.title ? <Tooltip title={props.title}>{text}</Tooltip> : text;
}

function Cluster({ cluster }: { cluster?: string }) {
  if (!cluster) return <Secondary>cluster unknown</Secondary>;
  const label = clusterLabel(cluster);
  return (
    <Secondary title={label === cluster ? undefined : cluster}>
      {label}
    </Secondary>
  );
}

const columns: TableColumn<EnvironmentDeployment>[] = [
  {
    title: 'Application',
    cellStyle: noWrap,
    render: d => (
      <>
        {d.argoCdUrl ? <Link to={d.argoCdUrl}>{d.name}</Link> : d.name}
        <Secondary>{d.layer}</Secondary>
      </>
    ),
  },
  {
    title: 'Instance / cluster',
    ...shrinkToFit,
    render: d => (
      <span data-testid={`instance-${d.instance}-${d.name}`}>
        {d.instance}
        <Cluster cluster={d.cluster} />
      </span>
    ),
  },
  {
    title: 'Sync / last sync',
    ...shrinkToFit,
    render: d => (
      <span data-testid={`sync-${d.instance}-${d.name}`}>
        <ArgoCdSyncStatus status={d.syncStatus} />
        <Secondary title={d.lastSyncedAt && `Last synced ${d.lastSyncedAt}`}>
          {d.lastSyncedAt ? formatTimestamp(d.lastSyncedAt) : 'never synced'}
        </Secondary>
      </span>
    ),
  },
  {
    title: 'Health',
    ...shrinkToFit,
    render: d => <ArgoCdHealthStatus status={d.healthStatus} />,
  },
  {
    title: 'Revision',
    ...shrinkToFit,
    render: d =>
      d.commitUrl ? (
        <Link to={d.commitUrl}>{shortSha(d.revision)}</Link>
      ) : (
        shortSha(d.revision)
      ),
  },
  {
    title: 'Compared with the GitOps branch',
    // Short verdicts stay on one line; a long one ("diverged: …") wraps
    // between words instead of pushing the table wider than the page.
    cellStyle: { wordBreak: 'normal', overflowWrap: 'normal' },
    render: d => (
      <span
        data-testid={`revision-${d.instance}-${d.name}`}
        style={{ display: 'inline-block', minWidth: 150 }}
      >
        <RevisionStatus value={d.comparison} />
      </span>
    ),
  },
];

function GitOpsHead({ value }: { value: EnvironmentDeploymentsResponse }) {
  return (
    <span data-testid="gitops-head">
      {value.head ? (
        <>
          Head of {value.head.branch}:{' '}
          {value.head.url ? (
            <Link to={value.head.url}>{shortSha(value.head.sha)}</Link>
          ) : (
            shortSha(value.head.sha)
          )}
          {' — each revision below is compared with it.'}
        </>
      ) : (
        `Head of the GitOps branch unknown: ${
          value.headError ?? 'no repository configured'
        }`
      )}
    </span>
  );
}

/** The "Deployments" tab: Argo CD applications per instance with Git revision vs branch head. @public */
export function EnvironmentDeployments() {
  const { entity } = useEntity();
  const api = useApi(environmentsApiRef);
  const name = getEnvironmentName(entity);
  const { value, loading, error } = useLiveAsync(
    () => api.getDeployments(name),
    [api, name],
    ENVIRONMENT_LIVE_OPTIONS,
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const failing = value.instances.filter(i => i.status === 'error');
  const panels = [
    value.sandbox && (
      <WarningPanel
        key="sandbox"
        severity="info"
        title="Sandbox data"
        message="At least one Argo CD instance is a sandbox (fake) server: these applications are not real deployments."
      />
    ),
    value.error && (
      <WarningPanel
        key="unreachable"
        title="Argo CD not reachable"
        message={value.error}
      />
    ),
    ...failing.map(i => (
      <WarningPanel
        key={`failed-${i.name}`}
        title={`Argo CD instance ${i.name} failed`}
        message={`${
          i.error ?? 'error'
        } — the other instances' applications are still shown.`}
      />
    )),
  ].filter(Boolean);
  return (
    <div data-testid="environment-deployments">
      {panels.map((panel, i) => (
        <div key={i} style={{ marginBottom: 16 }}>
          {panel}
        </div>
      ))}
      <InfoCard
        title="Applications"
        subheader={<GitOpsHead value={value} />}
        noPadding
      >
        {value.items.length === 0 && !value.error ? (
          <EmptyState
            missing="data"
            title="No Argo CD application yet"
            description={`No instance has ${name}-workloads or ${name}-infrastructure. The ApplicationSets create them once the environment's folder is on the GitOps branch.`}
          />
        ) : (
          <Table<EnvironmentDeployment>
            options={{
              paging: false,
              search: false,
              grouping: false,
              toolbar: false,
              padding: 'dense',
            }}
            style={{ boxShadow: 'none' }}
            columns={columns}
            data={[...value.items].sort(
              (a, b) =>
                a.instance.localeCompare(b.instance) ||
                (a.cluster ?? '').localeCompare(b.cluster ?? '') ||
                a.layer.localeCompare(b.layer),
            )}
          />
        )}
      </InfoCard>
    </div>
  );
}
