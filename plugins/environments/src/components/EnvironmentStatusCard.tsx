import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { EnvironmentPlacement } from '@epicshelter/plugin-environments-common';
import { EnvironmentVerdict } from './EnvironmentVerdict';
import { useEnvironmentStatus } from './useEnvironmentStatus';

/** What follows the cluster's name: nothing for the local cluster. */
const PHASE: Record<EnvironmentPlacement['phase'], string> = {
  local: '',
  bootstrapping: ' (cloud — bootstrapping)',
  'self-managed': ' (cloud — self-managed)',
};

/**
 * The environment's one verdict with its reason and the other findings,
 * and which cluster runs it and owns its infrastructure. Shown at the top
 * of the environment's page and as a card on its overview.
 * @public
 */
export function EnvironmentStatusCard(props: { variant?: 'gridItem' }) {
  const { entity } = useEntity();
  const { value, loading, error } = useEnvironmentStatus(entity);
  let body;
  if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (value) {
    const { status, placement } = value;
    const others = status.findings.slice(1);
    body = (
      <>
        <Typography variant="subtitle1" gutterBottom>
          <EnvironmentVerdict
            status={status}
            reason="inline"
            testId="environment-verdict"
          />
        </Typography>
        {others.length > 0 && (
          <ul data-testid="environment-findings">
            {others.map((f, i) => (
              <li key={i}>
                <Typography variant="body2">
                  {f.status}: {f.reason}
                </Typography>
              </li>
            ))}
          </ul>
        )}
        {placement && (
          <div data-testid="environment-placement">
            <StructuredMetadataTable
              metadata={{
                'runs on': `${placement.cluster}${PHASE[placement.phase]}`,
                'infrastructure owned by': placement.infrastructureOwner,
                'Argo CD instance': placement.argoCdInstance ?? '—',
              }}
            />
            <Typography variant="body2" color="textSecondary">
              {placement.summary}
            </Typography>
          </div>
        )}
      </>
    );
  }
  return (
    <InfoCard title="Status" variant={props.variant}>
      <div data-testid="environment-status-card">{body}</div>
    </InfoCard>
  );
}
