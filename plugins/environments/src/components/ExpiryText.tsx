import Tooltip from '@material-ui/core/Tooltip';
import { describeExpiry } from '@epicshelter/plugin-environments-common';

/**
 * An environment's expiry as "expires in 3 hours" (the timestamp on hover),
 * or "never" for one that does not expire. `now` is for tests.
 */
export function ExpiryText(props: {
  expiresAt?: string;
  testId: string;
  now?: Date;
}) {
  const { expiresAt, testId, now = new Date() } = props;
  if (!expiresAt) {
    return <span data-testid={`environment-expiry-${testId}`}>never</span>;
  }
  return (
    <Tooltip title={expiresAt}>
      <span data-testid={`environment-expiry-${testId}`}>
        {describeExpiry(expiresAt, now)}
      </span>
    </Tooltip>
  );
}
