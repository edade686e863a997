import { useEffect } from 'react';
import {
  InfoCard,
  LinkButton,
  Link,
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
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  DecommissionLifecycle,
  getEnvironmentName,
} from '@epicshelter/plugin-environments-common';
import { environmentsApiRef } from '../api';
import { TemplateLink, withTemplateRoute } from './templateRoute';
import { StepState } from './status';

/** The template the "Decommission" button opens (templates/decommission-environment). */
export const DECOMMISSION_ENVIRONMENT_TEMPLATE = {
  namespace: 'default',
  templateName: 'decommission-environment',
};

/** How often a decommission under way is read again. */
const POLL_MS = 5_000;

/**
 * The decommission template's form at `templatePath`, prefilled with the
 * environment (the user still types its name to confirm).
 */
export function decommissionEnvironmentLink(
  templatePath: string,
  environment: string,
): string {
  return `${templatePath}?formData=${encodeURIComponent(
    JSON.stringify({ environment: `resource:default/${environment}` }),
  )}`;
}

/**
 * The decommission template's form prefilled for the removal that follows
 * a protect step: the environment, the change not a preview, and its name
 * as confirmation (typed already for the protect step). The action keeps
 * what the protect step marked.
 */
export function decommissionRemovalLink(
  templatePath: string,
  environment: string,
): string {
  return `${templatePath}?formData=${encodeURIComponent(
    JSON.stringify({
      environment: `resource:default/${environment}`,
      previewOnly: false,
      confirmation: environment,
    }),
  )}`;
}

/**
 * Whether the removal may be proposed: the protect step is done (the live
 * objects carry the protection) and the environment is still on the
 * default branch.
 */
export function removalOffered(l: DecommissionLifecycle): boolean {
  const state = (id: string) => l.steps.find(s => s.id === id)?.state;
  return state('protected') === 'done' && state('merged') !== 'done';
}

/**
 * Whether a decommission was started: a change is proposed or already
 * merged, or there is a protect step (resources being kept).
 */
export function decommissionStarted(l: DecommissionLifecycle): boolean {
  return l.steps.some(
    s =>
      s.id === 'protected' ||
      ((s.id === 'proposed' || s.id === 'merged') && s.state === 'done'),
  );
}

/**
 * The decommission lifecycle of `name`, read again every 5 s while a
 * decommission is under way and not yet removed.
 */
export function useDecommissionLifecycle(name: string) {
  const api = useApi(environmentsApiRef);
  const { value, error, loading, retry } = useAsyncRetry(
    () => api.getDecommission(name),
    [api, name],
  );
  const underway = value !== undefined && decommissionStarted(value);
  useEffect(() => {
    if (!underway || value?.state === 'removed') return undefined;
    const timer = setTimeout(retry, POLL_MS);
    return () => clearTimeout(timer);
  }, [underway, value, retry]);
  return { value, error, loading, underway };
}

/** Where a decommission is followed once the environment's page is gone. */
export function decommissionPagePath(environment: string): string {
  return `/decommissions/${encodeURIComponent(environment)}`;
}

/**
 * The steps of a decommission, how far it got and where it is stuck; with
 * `removal` (the prefilled template form), a button under the protect step
 * once the removal may be proposed.
 */
export function DecommissionProgress(props: {
  lifecycle: DecommissionLifecycle;
  removal?: string;
}) {
  const { lifecycle, removal } = props;
  let summary;
  if (lifecycle.state === 'removed') summary = <StatusOK>Removed</StatusOK>;
  else if (lifecycle.state === 'stuck')
    summary = <StatusError>Stuck</StatusError>;
  else summary = <StatusRunning>Decommissioning</StatusRunning>;
  return (
    <>
      <Typography variant="subtitle1" data-testid="decommission-state">
        {summary}
        {lifecycle.reason && <span> — {lifecycle.reason}</span>}
      </Typography>
      <List dense>
        {lifecycle.steps.map((step, i) => (
          <ListItem
            key={step.id}
            data-testid={`decommission-step-${step.id}`}
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
                  {step.url && (
                    <>
                      {' · '}
                      <Link to={step.url}>open</Link>
                    </>
                  )}
                </>
              }
            />
            {step.id === 'protected' &&
              removal &&
              removalOffered(lifecycle) && (
                <LinkButton
                  to={removal}
                  variant="contained"
                  color="secondary"
                  data-testid="decommission-propose-removal"
                >
                  Propose the removal
                </LinkButton>
              )}
          </ListItem>
        ))}
      </List>
    </>
  );
}

/**
 * Card "Decommission" on an environment's page: once a decommission is under
 * way, how far it got (kept resources protected, when something is kept →
 * change proposed → merged → Argo CD pruned → Crossplane resources gone →
 * catalog entity removed, and where it is stuck), with a button that
 * proposes the removal once the protection is live; before that, what decommissioning does and a button to the
 * decommission template prefilled with the environment (shown when the app
 * binds the scaffolder template route).
 */
function DecommissionEnvironmentCardView(props: { template: TemplateLink }) {
  const { entity } = useEntity();
  const { template } = props;
  const name = getEnvironmentName(entity);
  const { value, underway } = useDecommissionLifecycle(name);
  if (underway && value) {
    return (
      <InfoCard
        title="Decommission"
        deepLink={{
          title: 'Follow it after the page is gone',
          link: decommissionPagePath(name),
        }}
      >
        <DecommissionProgress
          lifecycle={value}
          removal={
            template &&
            decommissionRemovalLink(
              template(DECOMMISSION_ENVIRONMENT_TEMPLATE),
              name,
            )
          }
        />
      </InfoCard>
    );
  }
  if (!template) return null;
  return (
    <InfoCard title="Decommission">
      <Typography variant="body2" paragraph>
        Removes {name} completely in one reviewed change: its Argo CD
        applications, workloads and cloud resources. You see what goes, and
        which data would be lost, before anything is written; databases and
        buckets can be kept. Only its owners and platform admins may do it.
      </Typography>
      <LinkButton
        to={decommissionEnvironmentLink(
          template(DECOMMISSION_ENVIRONMENT_TEMPLATE),
          name,
        )}
        variant="outlined"
        color="secondary"
        data-testid="decommission-environment"
      >
        Decommission environment
      </LinkButton>
    </InfoCard>
  );
}

export const {
  Card: DecommissionEnvironmentCard,
  /** The card in legacy apps (`legacyScaffolderTemplateRouteRef`). */
  LegacyCard: LegacyDecommissionEnvironmentCard,
} = withTemplateRoute(DecommissionEnvironmentCardView);
