import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type {
  EnvironmentStatus,
  EnvironmentStatusLevel,
} from '@epicshelter/plugin-environments-common';

/** The status icon and word of one verdict. */
function VerdictLabel({ level }: { level: EnvironmentStatusLevel }) {
  switch (level) {
    case 'Healthy':
      return <StatusOK>Healthy</StatusOK>;
    case 'Failed':
    case 'Degraded':
      return <StatusError>{level}</StatusError>;
    case 'Progressing':
      return <StatusRunning>Progressing</StatusRunning>;
    case 'OutOfSync':
      return <StatusWarning>OutOfSync</StatusWarning>;
    default:
      return <StatusAborted>{level}</StatusAborted>;
  }
}

/**
 * An environment's one verdict (the same on the Environments page, the
 * promotion matrix, the environment's page and its card): the status word,
 * and the reason inline or in a tooltip.
 * @public
 */
export function EnvironmentVerdict(props: {
  status: EnvironmentStatus;
  reason?: 'inline' | 'tooltip';
  testId?: string;
}) {
  const { status, reason = 'tooltip', testId } = props;
  if (reason === 'inline') {
    return (
      <span data-testid={testId} data-status={status.status}>
        <VerdictLabel level={status.status} />
        <Typography variant="body2" component="span">
          {' — '}
          {status.reason}
        </Typography>
      </span>
    );
  }
  return (
    <Tooltip title={status.reason} placement="top-start">
      <span
        data-testid={testId}
        data-status={status.status}
        aria-label={`${status.status}: ${status.reason}`}
      >
        <VerdictLabel level={status.status} />
      </span>
    </Tooltip>
  );
}
