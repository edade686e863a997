import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { CompoundEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import {
  ARGOCD_DEFAULT_APP_NAMESPACE,
  ApplicationSummary,
  groupApplications,
  isArgoCdAvailable,
} from '@epicshelter/plugin-argocd-common';
import { useState } from 'react';
import { ArgoCdAppRef } from '../api/ArgoCdApi';
import { ActionButtons } from './ActionButtons';
import {
  ApplicationSetInfo,
  HistoryTable,
  ResourceTree,
} from './ApplicationDetails';
import { MissingArgoCdAnnotation, NoApplications } from './EmptyStates';
import {
  ArgoCdHealthStatus,
  ArgoCdSyncStatus,
} from '@epicshelter/plugin-argocd-react';
import { InstanceErrors, Revision, SandboxBanner, When } from './status';
import {
  AppLocation,
  ApplicationSetConditions,
  OperationState,
  SourceList,
  operationOf,
} from './ApplicationFacts';
import { useEntityApplications } from './useEntityApplications';

const ApplicationPanel = ({
  app,
  entityRef,
  canAct,
  onChanged,
}: {
  app: ApplicationSummary;
  entityRef: CompoundEntityRef;
  canAct: boolean;
  onChanged: () => void;
}) => {
  const [expanded, setExpanded] = useState(false);
  const appRef: ArgoCdAppRef = {
    entity: entityRef,
    instance: app.instance,
    name: app.name,
    appNamespace:
      app.namespace !== ARGOCD_DEFAULT_APP_NAMESPACE
        ? app.namespace
        : undefined,
  };
  return (
    <Box
      border={1}
      borderColor="divider"
      borderRadius={4}
      p={2}
      mb={2}
      data-testid={`argocd-app-${app.instance}-${app.name}`}
    >
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
      >
        <Typography variant="h6">
          {app.argoCdUrl ? (
            <Link href={app.argoCdUrl} target="_blank" rel="noopener">
              {app.name}
            </Link>
          ) : (
            app.name
          )}
        </Typography>
        <Box display="flex" style={{ gap: 8 }}>
          <ArgoCdSyncStatus status={app.syncStatus} />
          <ArgoCdHealthStatus status={app.healthStatus} />
        </Box>
      </Box>
      <Typography variant="body2" color="textSecondary">
        <AppLocation app={app} /> · last successful sync{' '}
        {app.lastSyncedAt ? <When at={app.lastSyncedAt} /> : 'never'}
        {app.project && ` · project ${app.project}`}
        {app.applicationSet && ` · ApplicationSet ${app.applicationSet}`}
      </Typography>
      {app.sourceRevisions?.length ? (
        <SourceList sources={app.sourceRevisions} />
      ) : (
        <Typography variant="body2" color="textSecondary">
          Revision <Revision revision={app.revision} url={app.commitUrl} />
        </Typography>
      )}
      <OperationState op={operationOf(app)} />
      <ApplicationSetConditions
        name={app.applicationSet}
        conditions={app.applicationSetConditions}
      />
      {app.healthMessage && (
        <Typography variant="body2" color="error">
          Health: {app.healthMessage}
        </Typography>
      )}
      {app.conditions.map((c, i) => (
        <Typography key={i} variant="body2" color="error">
          {c.type}: {c.message}
        </Typography>
      ))}
      <Box mt={1} display="flex" style={{ gap: 8 }} flexWrap="wrap">
        <Button size="small" onClick={() => setExpanded(e => !e)}>
          {expanded ? 'Hide details' : 'History & resources'}
        </Button>
        {canAct && (
          <ActionButtons app={app} appRef={appRef} onDone={onChanged} />
        )}
      </Box>
      {expanded && (
        <Box mt={2}>
          <ApplicationSetInfo
            appRef={appRef}
            conditionsShown={app.applicationSetConditions !== undefined}
          />
          <ResourceTree appRef={appRef} />
          <Box mt={2}>
            <HistoryTable appRef={appRef} />
          </Box>
        </Box>
      )}
    </Box>
  );
};

/** Entity tab: applications grouped by environment and cluster, workloads beside infrastructure. @public */
export const ArgoCdContent = () => {
  const { entity, entityRef, value, loading, error, retry } =
    useEntityApplications();
  if (!isArgoCdAvailable(entity)) return <MissingArgoCdAnnotation />;
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const groups = groupApplications(value.items);
  const panel = (a: ApplicationSummary) => (
    <ApplicationPanel
      key={`${a.instance}/${a.name}`}
      app={a}
      entityRef={entityRef}
      canAct={value.canAct}
      onChanged={retry}
    />
  );
  return (
    <Grid container spacing={3}>
      {value.sandbox && (
        <Grid item xs={12}>
          <SandboxBanner />
        </Grid>
      )}
      <Grid item xs={12}>
        <InstanceErrors instances={value.instances} />
      </Grid>
      {value.items.length === 0 && (
        <Grid item xs={12}>
          <NoApplications entity={entity} data={value} />
        </Grid>
      )}
      {groups.map(g => (
        <Grid item xs={12} key={`${g.environment}/${g.instance}`}>
          <InfoCard
            title={
              g.environment
                ? `Environment ${g.environment}`
                : 'Other applications'
            }
            subheader={`Argo CD instance ${g.instance}`}
          >
            <Grid container spacing={2}>
              {(g.workloads.length > 0 || g.infrastructure.length > 0) && (
                <>
                  <Grid item xs={12} md={6}>
                    <Typography variant="overline">Workloads</Typography>
                    {g.workloads.length ? (
                      g.workloads.map(panel)
                    ) : (
                      <Typography variant="body2">
                        No workloads application.
                      </Typography>
                    )}
                  </Grid>
                  <Grid item xs={12} md={6}>
                    <Typography variant="overline">Infrastructure</Typography>
                    {g.infrastructure.length ? (
                      g.infrastructure.map(panel)
                    ) : (
                      <Typography variant="body2">
                        No infrastructure application.
                      </Typography>
                    )}
                  </Grid>
                </>
              )}
              {g.other.length > 0 && (
                <Grid item xs={12}>
                  {g.other.map(panel)}
                </Grid>
              )}
            </Grid>
          </InfoCard>
        </Grid>
      ))}
    </Grid>
  );
};
