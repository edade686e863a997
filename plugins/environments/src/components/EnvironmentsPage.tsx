import {
  Content,
  ContentHeader,
  Header,
  LinkButton,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusAborted,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import {
  useApi,
  useRouteRef as useLegacyRouteRef,
} from '@backstage/core-plugin-api';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink, catalogApiRef } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import {
  EnvironmentStatus,
  MatrixCell,
  OpenChange,
  PromotionMatrix,
  PromotionMatrixResponse,
  getEnvironmentSpec,
} from '@epicshelter/plugin-environments-common';
import { environmentsApiRef } from '../api';
import { ArgoCdHealthStatus } from '@epicshelter/plugin-argocd-react';
import { EnvironmentVerdict } from './EnvironmentVerdict';
import { ExpiryText } from './ExpiryText';
import { OpenChangeChip } from './OpenChangeChip';
import { shortSha } from './status';
import {
  CREATE_ENVIRONMENT_TEMPLATE,
  legacyScaffolderTemplateRouteRef,
  scaffolderTemplateRouteRef,
} from '../routes';
import { useLiveAsync } from '@epicshelter/plugin-crossplane-react';
import { ENVIRONMENT_LIVE_OPTIONS } from './live';

/** The form of the "Promote a workload" template (templates/promote-workload). @public */
export const PROMOTE_WORKLOAD_PATH =
  '/create/templates/default/promote-workload';

/**
 * Where a "Promote" button leads: the promote template's form, prefilled
 * with the source and target environments and the workload.
 * @public
 */
export function promoteWorkloadLink(options: {
  from: string;
  to: string;
  workload: string;
}): string {
  const formData = {
    from: `resource:default/${options.from}`,
    to: `resource:default/${options.to}`,
    workloads: [options.workload],
  };
  return `${PROMOTE_WORKLOAD_PATH}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}

type Row = {
  entity: Entity;
  name: string;
  owner: string;
  target: string;
  provider: string;
  region: string;
  /** When an ephemeral environment expires (ISO 8601); empty: it does not. */
  expiresAt: string;
  /** The one verdict; undefined while loading or when it could not be computed. */
  status?: EnvironmentStatus;
  statusLoading: boolean;
};

function StatusCell({ row }: { row: Row }) {
  const testId = `environment-status-${row.name}`;
  if (row.status) {
    return <EnvironmentVerdict status={row.status} testId={testId} />;
  }
  return (
    <span data-testid={testId}>
      {row.statusLoading ? (
        <StatusAborted>loading</StatusAborted>
      ) : (
        <StatusAborted>unknown</StatusAborted>
      )}
    </span>
  );
}

const columns: TableColumn<Row>[] = [
  {
    title: 'Environment',
    field: 'name',
    defaultSort: 'asc',
    render: r => <EntityRefLink entityRef={r.entity} />,
  },
  {
    title: 'Owner',
    field: 'owner',
    render: r =>
      r.owner ? <EntityRefLink entityRef={r.owner} defaultKind="group" /> : '—',
  },
  {
    title: 'Target',
    field: 'target',
    render: r => <Chip size="small" label={r.target} />,
  },
  {
    title: 'Provider',
    field: 'provider',
    render: r => (
      <Chip
        size="small"
        variant="outlined"
        label={r.region ? `${r.provider} · ${r.region}` : r.provider}
      />
    ),
  },
  {
    title: 'Status',
    field: 'status.status',
    render: r => <StatusCell row={r} />,
  },
  {
    title: 'Expires',
    field: 'expiresAt',
    render: r => <ExpiryText expiresAt={r.expiresAt} testId={r.name} />,
  },
];

function Cell({
  cell,
  workload,
  env,
  predecessor,
  openChange,
}: {
  cell: MatrixCell | null;
  workload: string;
  env: string;
  /** A change proposed and not merged yet that touches this workload in this environment. */
  openChange?: OpenChange;
  /** The previous environment (column) that deploys the workload. */
  predecessor?: { name: string; imageTag: string };
}) {
  if (!cell) return <span>—</span>;
  const behind = cell.differsFromPrevious && predecessor !== undefined;
  return (
    <div>
      <strong style={{ fontWeight: cell.differsFromPrevious ? 700 : 400 }}>
        {cell.imageTag}
      </strong>
      {behind && (
        <div data-testid={`matrix-behind-${workload}-${env}`}>
          <Chip
            size="small"
            variant="outlined"
            label={`${predecessor.name} runs ${predecessor.imageTag}`}
            title={`${env} differs from its predecessor ${predecessor.name}`}
          />
          <LinkButton
            size="small"
            color="primary"
            to={promoteWorkloadLink({
              from: predecessor.name,
              to: env,
              workload,
            })}
          >
            Promote
          </LinkButton>
        </div>
      )}
      {openChange && (
        <OpenChangeChip
          change={openChange}
          testId={`matrix-open-change-${workload}-${env}`}
        />
      )}
      <div>
        {cell.healthStatus ? (
          <ArgoCdHealthStatus status={cell.healthStatus} />
        ) : (
          <StatusAborted>no app</StatusAborted>
        )}
      </div>
      {cell.revision && (
        <div style={{ fontSize: '0.8em' }}>{shortSha(cell.revision)}</div>
      )}
    </div>
  );
}

function predecessorOf(
  cells: Array<MatrixCell | null>,
  index: number,
  environments: PromotionMatrix['columns'],
): { name: string; imageTag: string } | undefined {
  for (let j = index - 1; j >= 0; j--) {
    const previous = cells[j];
    if (previous) {
      return { name: environments[j].name, imageTag: previous.imageTag };
    }
  }
  return undefined;
}

/** Promotion matrix: rows = workloads, columns = environments. @public */
export function PromotionMatrixTable({ matrix }: { matrix: PromotionMatrix }) {
  type MatrixRow = PromotionMatrix['rows'][number];
  const matrixColumns: TableColumn<MatrixRow>[] = [
    {
      title: 'Workload',
      render: r => (
        <EntityRefLink
          entityRef={{
            kind: 'component',
            namespace: 'default',
            name: r.workload,
          }}
        />
      ),
    },
    ...matrix.columns.map(
      (c, i): TableColumn<MatrixRow> => ({
        title: (
          <span data-testid={`matrix-column-${c.name}`}>
            {c.name} ({c.target ?? '?'})
            {c.status && (
              <div>
                <EnvironmentVerdict status={c.status} />
              </div>
            )}
            {c.openChange && !c.openChange.workloads?.length && (
              // open, but touching no workload (an extension) or not known what
              <OpenChangeChip
                change={c.openChange}
                testId={`matrix-open-change-${c.name}`}
              />
            )}
          </span>
        ),
        render: r => (
          <span data-testid={`matrix-${r.workload}-${c.name}`}>
            <Cell
              cell={r.cells[i]}
              workload={r.workload}
              env={c.name}
              predecessor={predecessorOf(r.cells, i, matrix.columns)}
              openChange={r.cells[i]?.openChange}
            />
          </span>
        ),
      }),
    ),
  ];
  return (
    <Table<MatrixRow>
      title="Promotion matrix"
      subtitle="Image tag per workload and environment, with the health of the environment's workloads application; each column shows the environment's verdict"
      options={{ paging: false, search: false }}
      columns={matrixColumns}
      data={matrix.rows}
      emptyContent={
        <div style={{ padding: 16 }}>
          No environment deploys a workload yet.
        </div>
      }
    />
  );
}

/**
 * The Environments page of the new frontend system: the "Create
 * environment" button opens the template through the plugin's
 * `scaffolderTemplate` external route (hidden when it is not bound).
 * @public
 */
export function EnvironmentsPage() {
  const template = useRouteRef(scaffolderTemplateRouteRef);
  return (
    <EnvironmentsPageContent
      createEnvironmentLink={template?.(CREATE_ENVIRONMENT_TEMPLATE)}
    />
  );
}

/** The Environments page of legacy apps (`legacyScaffolderTemplateRouteRef`). */
export function LegacyEnvironmentsPage() {
  const template = useLegacyRouteRef(legacyScaffolderTemplateRouteRef);
  return (
    <EnvironmentsPageContent
      createEnvironmentLink={template?.(CREATE_ENVIRONMENT_TEMPLATE)}
    />
  );
}

/**
 * All environments and the promotion matrix; the "Create environment"
 * button leads to `createEnvironmentLink`, and is not shown without it.
 * @public
 */
export function EnvironmentsPageContent(props: {
  createEnvironmentLink?: string;
}) {
  const { createEnvironmentLink } = props;
  const catalogApi = useApi(catalogApiRef);
  const environmentsApi = useApi(environmentsApiRef);
  // The list follows the same signals as the matrix, so an environment the
  // catalog has just taken in appears without a reload.
  const entities = useLiveAsync(
    () =>
      catalogApi.getEntities({
        filter: { kind: 'Resource', 'spec.type': 'environment' },
      }),
    [catalogApi],
    ENVIRONMENT_LIVE_OPTIONS,
  );
  const matrix = useLiveAsync<PromotionMatrixResponse>(
    () => environmentsApi.getMatrix(),
    [environmentsApi],
    ENVIRONMENT_LIVE_OPTIONS,
  );
  const statuses = new Map(
    (matrix.value?.matrix.columns ?? []).map(c => [c.name, c.status]),
  );
  const rows: Row[] = (entities.value?.items ?? [])
    .map(entity => {
      const spec = getEnvironmentSpec(entity);
      return {
        entity,
        name: entity.metadata.name,
        owner: String(
          (entity.spec as { owner?: string } | undefined)?.owner ?? '',
        ),
        target: spec?.target ?? 'unknown',
        provider: spec?.provider ?? 'unknown',
        region: spec?.region ?? '',
        expiresAt: spec?.expiry?.expiresAt ?? '',
        status: statuses.get(entity.metadata.name),
        statusLoading: matrix.loading,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <Page themeId="tool">
      <Header
        title="Environments"
        subtitle="Every environment declared in the GitOps repository"
      />
      <Content>
        {createEnvironmentLink && (
          <ContentHeader title="">
            <LinkButton
              to={createEnvironmentLink}
              color="primary"
              variant="contained"
              data-testid="create-environment"
            >
              Create environment
            </LinkButton>
          </ContentHeader>
        )}
        <Grid container spacing={3}>
          <Grid item xs={12} data-testid="environments-table">
            {entities.loading && <Progress />}
            {entities.error && <ResponseErrorPanel error={entities.error} />}
            {entities.value && (
              <Table<Row>
                title={`All environments (${rows.length})`}
                options={{
                  paging: rows.length > 20,
                  pageSize: 20,
                  search: true,
                }}
                columns={columns}
                data={rows}
                emptyContent={
                  <div style={{ padding: 16 }}>
                    No environment yet. Create one with the “Create environment”
                    template; it appears here once the catalog reads the GitOps
                    repository.
                  </div>
                }
              />
            )}
          </Grid>
          <Grid item xs={12} data-testid="promotion-matrix">
            {matrix.loading && <Progress />}
            {matrix.error && (
              <ResponseErrorPanel
                error={matrix.error}
                title="Promotion matrix not available"
              />
            )}
            {matrix.value && matrix.value.errors.length > 0 && (
              <WarningPanel
                title="Argo CD state missing for some environments"
                message={matrix.value.errors
                  .map(e => `${e.environment}: ${e.message}`)
                  .join('; ')}
              />
            )}
            {matrix.value && (
              <PromotionMatrixTable matrix={matrix.value.matrix} />
            )}
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
