import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Link from '@material-ui/core/Link';
import {
  ApplicationSummary,
  isArgoCdAvailable,
} from '@epicshelter/plugin-argocd-common';
import {
  ArgoCdHealthStatus,
  ArgoCdSyncStatus,
} from '@epicshelter/plugin-argocd-react';
import { InstanceErrors, Revision, SandboxBanner, When } from './status';
import { useEntityApplications } from './useEntityApplications';
import { MissingArgoCdAnnotation, NoApplications } from './EmptyStates';

const columns: TableColumn<ApplicationSummary>[] = [
  {
    title: 'Application',
    field: 'name',
    highlight: true,
    render: a =>
      a.argoCdUrl ? (
        <Link href={a.argoCdUrl} target="_blank" rel="noopener">
          {a.name}
        </Link>
      ) : (
        a.name
      ),
  },
  { title: 'Instance', field: 'instance' },
  { title: 'Sync', render: a => <ArgoCdSyncStatus status={a.syncStatus} /> },
  {
    title: 'Health',
    render: a => <ArgoCdHealthStatus status={a.healthStatus} />,
  },
  {
    title: 'Revision',
    render: a => <Revision revision={a.revision} url={a.commitUrl} />,
  },
  { title: 'Last sync', render: a => <When at={a.lastSyncedAt} /> },
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
