import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusRunning,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { getEnvironmentName } from '@epicshelter/plugin-environments-common';
import { environmentsApiRef } from '../api';
import { StepState } from './status';
import { LifecycleExpiry } from './LifecycleExpiry';
import { useLiveAsync } from '@epicshelter/plugin-crossplane-react';
import { ENVIRONMENT_LIVE_OPTIONS } from './live';

/**
 * The "Lifecycle" tab: template run → PR → merge → Argo CD sync → resources
 * ready; for an ephemeral environment, its expiry and extensions. `now` is
 * for tests.
 * @public
 */
export function EnvironmentLifecycle(props: { now?: Date } = {}) {
  const { entity } = useEntity();
  const api = useApi(environmentsApiRef);
  const name = getEnvironmentName(entity);
  const { value, loading, error } = useLiveAsync(
    () => api.getLifecycle(name),
    [api, name],
    ENVIRONMENT_LIVE_OPTIONS,
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  let summary;
  if (value.state === 'ready') summary = <StatusOK>Ready</StatusOK>;
  else if (value.state === 'failed')
    summary = <StatusError>Failed</StatusError>;
  else summary = <StatusRunning>In progress</StatusRunning>;
  return (
    <InfoCard title="From request to ready">
      <Typography variant="subtitle1" data-testid="lifecycle-state">
        {summary}
        {value.reason && (
          <span data-testid="lifecycle-reason">
            {' '}
            — blocked at “
            {value.steps.find(s => s.id === value.blockedAt)?.title}”:{' '}
            {value.reason}
          </span>
        )}
      </Typography>
      <List>
        {value.steps.map((step, i) => (
          <ListItem
            key={step.id}
            data-testid={`lifecycle-step-${step.id}`}
            data-state={step.state}
            divider
          >
            <ListItemText
              primary={
                <>
                  {i + 1}. {step.title} <StepState value={step.state} />
                </>
              }
              secondary={
                <>
                  {step.message}
                  {step.at && ` · ${new Date(step.at).toLocaleString()}`}
                  {step.url && (
                    <>
                      {' · '}
                      <Link to={step.url}>open</Link>
                    </>
                  )}
                </>
              }
            />
          </ListItem>
        ))}
      </List>
      {value.expiry && (
        <LifecycleExpiry expiry={value.expiry} now={props.now} />
      )}
    </InfoCard>
  );
}
