import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useLocation } from 'react-router-dom';
import {
  DecommissionProgress,
  useDecommissionLifecycle,
} from './DecommissionEnvironmentCard';

/** The environment name at the end of `/decommissions/<name>`. */
export function environmentFromDecommissionPath(pathname: string): string {
  const match = /\/decommissions\/([^/]+)\/?$/.exec(pathname);
  return match ? decodeURIComponent(match[1]) : '';
}

/**
 * The decommission of one environment (`/decommissions/<name>`), followed
 * to the end: unlike the environment's page, it stays once the catalog has
 * removed the environment. The decommission template links to it.
 * @public
 */
export function DecommissionPage() {
  const name = environmentFromDecommissionPath(useLocation().pathname);
  const { value, error, loading, underway } = useDecommissionLifecycle(name);
  let body;
  if (loading && !value) body = <Progress />;
  else if (error || !value) {
    body = (
      <WarningPanel
        severity="error"
        title={`The decommission of ${
          name || '(no environment)'
        } cannot be read`}
      >
        {error?.message ?? 'No answer from the environments backend.'}
      </WarningPanel>
    );
  } else {
    body = (
      <InfoCard title={`Decommission of ${name}`}>
        {!underway && (
          <Typography variant="body2" paragraph>
            No decommission of {name} has been proposed yet.
          </Typography>
        )}
        <DecommissionProgress lifecycle={value} />
      </InfoCard>
    );
  }
  return (
    <Page themeId="tool">
      <Header title={`Decommission of ${name}`} />
      <Content>{body}</Content>
    </Page>
  );
}
