import { InfoCard, LinkButton } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import {
  describeTtl,
  getEnvironmentName,
  getEnvironmentSpec,
} from '@epicshelter/plugin-environments-common';
import { TemplateLink, withTemplateRoute } from './templateRoute';
import { ExpiryText } from './ExpiryText';

/** The template the "Extend" button opens (templates/extend-environment). */
export const EXTEND_ENVIRONMENT_TEMPLATE = {
  namespace: 'default',
  templateName: 'extend-environment',
};

/** The extend template's form at `templatePath`, prefilled with the environment. */
export function extendEnvironmentLink(
  templatePath: string,
  environment: string,
): string {
  return `${templatePath}?formData=${encodeURIComponent(
    JSON.stringify({ environment: `resource:default/${environment}` }),
  )}`;
}

/**
 * Card "Expiry" on an ephemeral environment's page: when it expires, the
 * time to live last asked for, and an "Extend" button to the extend
 * template (shown when the app has a scaffolder template route). `now` is
 * for tests.
 */
function EnvironmentExpiryCardView(props: {
  now?: Date;
  template: TemplateLink;
}) {
  const { entity } = useEntity();
  const { template } = props;
  const expiry = getEnvironmentSpec(entity)?.expiry;
  if (!expiry) return null;
  const name = getEnvironmentName(entity);
  return (
    <InfoCard title="Expiry">
      <Typography variant="h6" component="p">
        <ExpiryText
          expiresAt={expiry.expiresAt}
          testId={name}
          now={props.now}
        />
      </Typography>
      <Typography variant="body2" paragraph>
        {name} is ephemeral: it expires at {expiry.expiresAt} (time to live{' '}
        {describeTtl(expiry.ttl)}). Its owners are notified before it expires
        and when it does; they may extend it through a reviewed change.
      </Typography>
      {template && (
        <LinkButton
          to={extendEnvironmentLink(
            template(EXTEND_ENVIRONMENT_TEMPLATE),
            name,
          )}
          variant="outlined"
          color="primary"
          data-testid="extend-environment"
        >
          Extend
        </LinkButton>
      )}
    </InfoCard>
  );
}

export const {
  Card: EnvironmentExpiryCard,
  /** The card in legacy apps (`legacyScaffolderTemplateRouteRef`). */
  LegacyCard: LegacyEnvironmentExpiryCard,
} = withTemplateRoute<{ now?: Date }>(EnvironmentExpiryCardView);
