import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { CrossplaneResourcesContent } from '@epicshelter/plugin-crossplane-react';
import { getEnvironmentSpec } from '@epicshelter/plugin-environments-common';

/**
 * What the environment's spec declares (from the catalog entity, so it shows
 * even when the crossplane backend or the cluster cannot be reached).
 */
function DeclaredResources() {
  const { entity } = useEntity();
  const resources = getEnvironmentSpec(entity)?.resources ?? [];
  return (
    <Box mb={2} data-testid="environment-declared-resources">
      <InfoCard
        title="Declared in the environment spec (Git)"
        variant="gridItem"
      >
        {resources.length === 0 ? (
          <Typography variant="body2">
            This environment declares no resources.
          </Typography>
        ) : (
          resources.map(r => (
            <Chip
              key={`${r.crossplane.kind}/${r.crossplane.namespace}/${r.crossplane.name}`}
              size="small"
              style={{ margin: 4 }}
              label={`${r.name} (${r.type}) → ${r.crossplane.kind} ${r.crossplane.namespace}/${r.crossplane.name}`}
            />
          ))
        )}
      </InfoCard>
    </Box>
  );
}

/**
 * The "Infrastructure" tab: the resources the environment's spec declares,
 * then the Crossplane view of the environment (from the crossplane plugin's
 * web library, the same as its Crossplane tab) — graph of claims/XRs
 * and managed resources with Ready/Synced per node, node details, and
 * desired (Git) vs live.
 * @public
 */
export function EnvironmentInfrastructure() {
  return (
    <div data-testid="environment-infrastructure">
      <DeclaredResources />
      <CrossplaneResourcesContent />
    </div>
  );
}
