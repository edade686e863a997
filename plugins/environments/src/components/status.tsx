import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import InfoOutlined from '@material-ui/icons/InfoOutlined';
import type {
  LifecycleStepState,
  RevisionComparison,
} from '@epicshelter/plugin-environments-common';
import { describeRevision } from '@epicshelter/plugin-environments-common';

const useStyles = makeStyles(theme => ({
  reason: {
    cursor: 'help',
    whiteSpace: 'nowrap',
  },
  icon: {
    fontSize: '1rem',
    verticalAlign: 'text-bottom',
    marginLeft: theme.spacing(0.5),
    color: theme.palette.text.secondary,
  },
}));

/**
 * A revision compared with the head of the GitOps branch. One that cannot
 * be compared reads "unknown", with the reason in a tooltip.
 */
export function RevisionStatus({ value }: { value?: RevisionComparison }) {
  const classes = useStyles();
  if (!value) return <StatusAborted>not compared</StatusAborted>;
  if (value.status === 'unknown') {
    if (!value.message) return <StatusAborted>unknown</StatusAborted>;
    return (
      <Tooltip title={value.message} placement="top-start">
        <span className={classes.reason}>
          <StatusAborted>unknown</StatusAborted>
          <InfoOutlined className={classes.icon} aria-hidden />
        </span>
      </Tooltip>
    );
  }
  const text = describeRevision(value);
  switch (value.status) {
    case 'in-sync':
      return <StatusOK>{text}</StatusOK>;
    case 'behind':
      return <StatusWarning>{text}</StatusWarning>;
    default: // ahead or diverged
      return <StatusError>{text}</StatusError>;
  }
}

/** A lifecycle step state. */
export function StepState({ value }: { value: LifecycleStepState }) {
  switch (value) {
    case 'done':
      return <StatusOK>done</StatusOK>;
    case 'failed':
      return <StatusError>failed</StatusError>;
    case 'pending':
      return <StatusPending>pending</StatusPending>;
    case 'skipped':
      return <StatusAborted>skipped</StatusAborted>;
    default:
      return <StatusWarning>unknown</StatusWarning>;
  }
}

/** Short SHA. */
export const shortSha = (sha?: string) => (sha ? sha.slice(0, 7) : '—');

/**
 * An ISO timestamp as `YYYY-MM-DD HH:mm` UTC (the same for every viewer);
 * anything that is not a date is returned as it is.
 */
export function formatTimestamp(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
