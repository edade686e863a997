import { InfoCard, LinkButton } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { getEnvironmentName } from '@epicshelter/plugin-environments-common';
import { scaffolderTemplateRouteRef } from '../routes';

/** The template the "Decommission" button opens (templates/decommission-environment). */
export const DECOMMISSION_ENVIRONMENT_TEMPLATE = {
  namespace: 'default',
  templateName: 'decommission-environment',
};

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
 * Card "Decommission" on an environment's page: what decommissioning does,
 * and a button to the decommission template prefilled with the environment.
 * Shows nothing when the app has no scaffolder template route.
 */
export function DecommissionEnvironmentCard() {
  const { entity } = useEntity();
  const template = useRouteRef(scaffolderTemplateRouteRef);
  if (!template) return null;
  const name = getEnvironmentName(entity);
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
