import {
  InfoCard,
  Link,
  StructuredMetadataTable,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import {
  ANNOTATION_GITOPS_BRANCH,
  ANNOTATION_GITOPS_PATH,
  ANNOTATION_GITOPS_REPOSITORY,
  EnvironmentResourceSummary,
  getEnvironmentSpec,
} from '@epicshelter/plugin-environments-common';
import { EnvironmentStatusCard } from './EnvironmentStatusCard';
import { DeclaredWorkloads } from './EnvironmentWorkloadsCard';

const resourceColumns: TableColumn<EnvironmentResourceSummary>[] = [
  { title: 'Type', field: 'type' },
  {
    title: 'Name',
    render: r => <EntityRefLink entityRef={r.entityRef} title={r.name} />,
  },
  {
    title: 'Crossplane object',
    render: r =>
      `${r.crossplane.kind} ${r.crossplane.namespace}/${r.crossplane.name}`,
  },
  {
    title: 'Details',
    render: r =>
      Object.entries(r.details)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', '),
  },
];

/** The "Environment" tab: what the GitOps repository declares, with links. @public */
export function EnvironmentOverview() {
  const { entity } = useEntity();
  const spec = getEnvironmentSpec(entity);
  const a = entity.metadata.annotations ?? {};
  if (!spec) {
    return (
      <WarningPanel
        title="This environment was not read from the GitOps repository"
        message="Its entity has no spec.environment: it is registered by hand or by an older provider. Environments in environments/<name>/environment.yaml of the GitOps repository get this page automatically."
      />
    );
  }
  const links = entity.metadata.links ?? [];
  return (
    <Grid container spacing={3} data-testid="environment-overview">
      <Grid item xs={12}>
        <EnvironmentStatusCard />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Environment">
          <StructuredMetadataTable
            metadata={{
              name: entity.metadata.name,
              owner: String((entity.spec as { owner?: string }).owner ?? ''),
              target: spec.target,
              provider: spec.provider,
              region: spec.region ?? '—',
              'crossplane API': spec.crossplaneApi,
              'Argo CD applications': `${spec.applications.workloads}, ${spec.applications.infrastructure}`,
            }}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="GitOps">
          <StructuredMetadataTable
            metadata={{
              repository: a[ANNOTATION_GITOPS_REPOSITORY] ?? '—',
              branch: a[ANNOTATION_GITOPS_BRANCH] ?? '—',
              folder: a[ANNOTATION_GITOPS_PATH] ?? '—',
            }}
          />
          <ul data-testid="environment-links">
            {links.map(l => (
              <li key={l.url}>
                <Link to={l.url}>{l.title ?? l.url}</Link>
              </li>
            ))}
          </ul>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <DeclaredWorkloads entity={entity} />
      </Grid>
      <Grid item xs={12}>
        <Table<EnvironmentResourceSummary>
          title="Resources"
          options={{ paging: false, search: false }}
          columns={resourceColumns}
          data={spec.resources}
          emptyContent={
            <div style={{ padding: 16 }}>
              This environment declares no resources.
            </div>
          }
        />
      </Grid>
    </Grid>
  );
}
