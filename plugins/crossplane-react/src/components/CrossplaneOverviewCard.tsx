import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type { DesiredLiveEntry } from '@epicshelter/plugin-crossplane-common';
import { useCrossplaneResources } from '../live/useCrossplaneResources';
import { DesiredLiveStatusLabel, messageStyle } from './status';

/**
 * Entity overview card: one line per declared resource (database, bucket,
 * cache, cluster) — ready, progressing, paused, deleting or failing, with
 * its reason and message, for the entity in context (`useEntity`).
 * @public
 */
export function CrossplaneOverviewCard() {
  const { entity } = useEntity();
  const ref = getCompoundEntityRef(entity);
  const { value, loading, error } = useCrossplaneResources(ref);
  let content: React.ReactNode;
  if (loading) content = <Progress />;
  else if (error) content = <ResponseErrorPanel error={error} />;
  else {
    const data = value!;
    const rows: DesiredLiveEntry[] = data.comparison;
    content = (
      <>
        {data.sandbox && data.liveAvailable && (
          <Typography variant="caption" color="textSecondary">
            Sandbox data (fake Kubernetes API)
          </Typography>
        )}
        {!data.liveAvailable && (
          <Typography variant="caption" color="textSecondary">
            Desired state only: no cluster configured
          </Typography>
        )}
        {data.clusters
          .filter(c => c.error)
          .map(c => (
            <Typography
              key={c.cluster}
              variant="caption"
              color="error"
              display="block"
            >
              Cluster {c.cluster} unreachable: {c.error!.message}
            </Typography>
          ))}
        {rows.length === 0 ? (
          <Typography variant="body2">No resources declared.</Typography>
        ) : (
          <List dense>
            {rows.map(r => (
              <ListItem key={`${r.kind}/${r.namespace}/${r.name}`} divider>
                <ListItemText
                  primary={
                    <>
                      <DesiredLiveStatusLabel entry={r} />{' '}
                      {r.resourceName ?? r.name}{' '}
                      <Typography
                        component="span"
                        variant="caption"
                        color="textSecondary"
                      >
                        ({r.kind})
                      </Typography>
                    </>
                  }
                  secondary={r.status === 'ready' ? undefined : r.message}
                  secondaryTypographyProps={{ style: messageStyle }}
                />
              </ListItem>
            ))}
          </List>
        )}
      </>
    );
  }
  return <InfoCard title="Cloud resources (Crossplane)">{content}</InfoCard>;
}
