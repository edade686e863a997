import { InfoCard, LinkButton } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { getEnvironmentName } from '@epicshelter/plugin-environments-common';
import { TemplateLink, withTemplateRoute } from './templateRoute';

/** The template the "Promote" button opens (templates/promote-workload). */
export const PROMOTE_WORKLOAD_TEMPLATE = {
  namespace: 'default',
  templateName: 'promote-workload',
};

/** The promote template's form at `templatePath`, with this environment as the target. */
export function promoteIntoLink(
  templatePath: string,
  environment: string,
): string {
  return `${templatePath}?formData=${encodeURIComponent(
    JSON.stringify({ to: `resource:default/${environment}` }),
  )}`;
}

/**
 * Card "Promote" on an environment's page: a button to the promote template
 * with this environment as the target (the user picks the source and the
 * workloads, and sees the rendered diff before anything is proposed). Shows
 * nothing when the app has no scaffolder template route.
 */
function PromoteEnvironmentCardView(props: { template: TemplateLink }) {
  const { entity } = useEntity();
  const { template } = props;
  if (!template) return null;
  const name = getEnvironmentName(entity);
  return (
    <InfoCard title="Promote">
      <Typography variant="body2" paragraph>
        Bring a release from another environment into {name}: its overlay takes
        the source's image tag (and, if you ask, its replicas), nothing else.
        You see the rendered diff before anything is proposed; only its owners
        and platform admins may promote into it.
      </Typography>
      <LinkButton
        to={promoteIntoLink(template(PROMOTE_WORKLOAD_TEMPLATE), name)}
        variant="outlined"
        color="primary"
        data-testid="promote-into-environment"
      >
        Promote into {name}
      </LinkButton>
    </InfoCard>
  );
}

export const {
  Card: PromoteEnvironmentCard,
  /** The card in legacy apps (`legacyScaffolderTemplateRouteRef`). */
  LegacyCard: LegacyPromoteEnvironmentCard,
} = withTemplateRoute(PromoteEnvironmentCardView);
