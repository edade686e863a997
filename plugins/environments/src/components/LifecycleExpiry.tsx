import { Link } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  EnvironmentExpiryHistory,
  OpenChange,
  describeTtl,
} from '@epicshelter/plugin-environments-common';
import { ExpiryText } from './ExpiryText';
import { formatTimestamp, shortSha } from './status';

function changeLabel(change: OpenChange): string {
  return change.kind === 'pull-request'
    ? `change #${change.number}`
    : `branch ${change.branch}`;
}

/** The open decommission of an environment, with its link. */
function OpenDecommission(props: {
  decommission: NonNullable<EnvironmentExpiryHistory['decommission']>;
}) {
  const { change, expiryTriggered } = props.decommission;
  return (
    <Typography variant="body2" data-testid="lifecycle-expiry-decommission">
      {expiryTriggered
        ? 'Expired: its decommission is open, '
        : 'A decommission is open, '}
      {change.kind === 'pull-request' ? (
        <Link to={change.url}>{changeLabel(change)}</Link>
      ) : (
        changeLabel(change)
      )}
      , waiting for review and merge.
    </Typography>
  );
}

/**
 * The expiry part of the lifecycle view: "expires in …", each extension
 * ("extended by X on … from … to …" with its commit) and an open
 * decommission. `now` is for tests.
 */
export function LifecycleExpiry(props: {
  expiry: EnvironmentExpiryHistory;
  now?: Date;
}) {
  const { expiry, now } = props;
  return (
    <div data-testid="lifecycle-expiry">
      <Typography variant="h6">Expiry</Typography>
      <Typography variant="body1">
        {expiry.current ? (
          <>
            This environment{' '}
            <ExpiryText
              expiresAt={expiry.current.expiresAt}
              testId="lifecycle"
              now={now}
            />{' '}
            ({formatTimestamp(expiry.current.expiresAt)}).
          </>
        ) : (
          'This environment does not expire.'
        )}
      </Typography>
      {expiry.decommission && (
        <OpenDecommission decommission={expiry.decommission} />
      )}
      {expiry.extensions.length === 0 ? (
        <Typography variant="body2" data-testid="lifecycle-no-extension">
          Not extended{expiry.partial ? ' in its recent history' : ''}.
        </Typography>
      ) : (
        <List dense>
          {expiry.extensions.map(x => (
            <ListItem
              key={x.commit.sha}
              data-testid={`lifecycle-extension-${x.commit.sha}`}
            >
              <ListItemText
                primary={`Extended by ${x.requestedBy ?? 'someone unrecorded'}${
                  x.at ? ` on ${formatTimestamp(x.at)}` : ''
                } from ${formatTimestamp(x.from)} to ${formatTimestamp(
                  x.to,
                )} (${describeTtl(x.by)})`}
                secondary={
                  x.commit.url ? (
                    <Link to={x.commit.url}>
                      commit {shortSha(x.commit.sha)}
                    </Link>
                  ) : (
                    `commit ${shortSha(x.commit.sha)}`
                  )
                }
              />
            </ListItem>
          ))}
        </List>
      )}
      {expiry.partial && expiry.extensions.length > 0 && (
        <Typography variant="caption">
          Older extensions are not shown.
        </Typography>
      )}
      {expiry.error && (
        <Typography variant="body2" color="error">
          {expiry.error}
        </Typography>
      )}
    </div>
  );
}
