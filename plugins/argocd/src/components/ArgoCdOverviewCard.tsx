import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { ReactNode } from 'react';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import {
  ApplicationSummary,
  isArgoCdAvailable,
} from '@epicshelter/plugin-argocd-common';
import {
  ArgoCdHealthStatus,
  ArgoCdSyncStatus,
} from '@epicshelter/plugin-argocd-react';
import { InstanceErrors, SandboxBanner, When } from './status';
import {
  AppLocation,
  ApplicationSetConditions,
  OperationState,
  SourceRevisions,
  operationOf,
} from './ApplicationFacts';
import { useEntityApplications } from './useEntityApplications';
import { MissingArgoCdAnnotation, NoApplications } from './EmptyStates';

/** A second, smaller line under a cell's main value. */
const Secondary = ({ children }: { children: ReactNode }) => (
  <Typography variant="caption" color="textSecondary" component="div">
    {children}
  </Typography>
);

/**
 * Three columns fit the half-width overview column: the application with its
 * instance, sync over health, revision over last sync (the tab has one
 * column each).
 */
const columns: TableColumn<ApplicationSummary>[] = [
  {
    title: 'Application',
    field: 'name',
    highlight: true,
    render: a => (
      <>
        {a.argoCdUrl ? (
          <Link href={a.argoCdUrl} target="_blank" rel="noopener">
            {a.name}
          </Link>
        ) : (
          a.name
        )}
        <Secondary>
          <AppLocation app={a} />
        </Secondary>
        <ApplicationSetConditions
          name={a.applicationSet}
          conditions={a.applicationSetConditions}
        />
      </>
    ),
  },
  {
    title: 'Sync / health',
    render: a => (
      <>
        <ArgoCdSyncStatus status={a.syncStatus} />
        <div>
          <ArgoCdHealthStatus status={a.healthStatus} />
        </div>
        <OperationState op={operationOf(a)} />
      </>
    ),
  },
  {
    title: 'Revision / last sync',
    render: a => (
      <>
        <SourceRevisions app={a} />
        <Secondary>
          {a.lastSyncedAt ? (
            <>
              synced <When at={a.lastSyncedAt} />
            </>
          ) : (
            'never synced'
          )}
        </Secondary>
      </>
    ),
  },
];

/** Overview card: one row per Argo CD application of the entity. @public */
export const ArgoCdOverviewCard = () => {
  const { entity, value, loading, error } = useEntityApplications();
  if (!isArgoCdAvailable(entity)) {
    return (
      <InfoCard title="Argo CD">
        <MissingArgoCdAnnotation />
      </InfoCard>
    );
  }
  return (
    <InfoCard title="Argo CD" noPadding>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <>
          {value.sandbox && <SandboxBanner />}
          <InstanceErrors instances={value.instances} />
          {value.items.length === 0 ? (
            <NoApplications entity={entity} data={value} />
          ) : (
            <Table
              options={{
                paging: false,
                search: false,
                toolbar: false,
                padding: 'dense',
              }}
              data={value.items}
              columns={columns}
            />
          )}
        </>
      )}
    </InfoCard>
  );
};
