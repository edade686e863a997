import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ARGOCD_DEFAULT_APP_NAMESPACE,
  ApplicationSummary,
  ArgoCdApplicationSetCondition,
  OperationSummary,
  SourceRevision,
  applicationSetConditionState,
  describeSource,
} from '@epicshelter/plugin-argocd-common';
import { Revision, When } from './status';

/** Where the application lives: instance, plus its namespace when not Argo CD's default. */
export const AppLocation = ({ app }: { app: ApplicationSummary }) => (
  <>
    {app.instance}
    {app.namespace && app.namespace !== ARGOCD_DEFAULT_APP_NAMESPACE && (
      <> · namespace {app.namespace}</>
    )}
  </>
);

/** One source: repository, path or chart, and its own revision. */
export const SourceLine = ({ source }: { source: SourceRevision }) => (
  <Typography variant="body2" component="div" data-testid="argocd-source">
    <Revision revision={source.revision} url={source.commitUrl} />{' '}
    {describeSource(source.source)} of{' '}
    <span style={{ overflowWrap: 'anywhere' }}>{source.source.repoURL}</span>
  </Typography>
);

/** Every source with its revision (multi-source applications show each). */
export const SourceList = ({ sources }: { sources: SourceRevision[] }) => (
  <Box>
    {sources.map(s => (
      <SourceLine key={s.index} source={s} />
    ))}
  </Box>
);

/** Revisions only, one per source, for narrow columns. */
export const SourceRevisions = ({ app }: { app: ApplicationSummary }) => {
  const sources = app.sourceRevisions ?? [];
  if (!app.multiSource || sources.length < 2) {
    return <Revision revision={app.revision} url={app.commitUrl} />;
  }
  return (
    <>
      {sources.map(s => (
        <div key={s.index} title={s.source.repoURL}>
          <Revision revision={s.revision} url={s.commitUrl} />{' '}
          <Typography variant="caption" color="textSecondary">
            {describeSource(s.source)}
          </Typography>
        </div>
      ))}
    </>
  );
};

const OPERATION_TEXT: Record<string, string> = {
  Running: 'Sync running',
  Terminating: 'Sync terminating',
  Failed: 'Last sync failed',
  Error: 'Last sync errored',
  Succeeded: 'Last sync succeeded',
};

/** The application's operation (older backends send only phase and message). */
export function operationOf(
  app: ApplicationSummary,
): OperationSummary | undefined {
  if (app.operation) return app.operation;
  return app.operationPhase
    ? { phase: app.operationPhase, message: app.operationMessage }
    : undefined;
}

/**
 * The current or last operation when it needs attention: running,
 * terminating, failed or errored, and dry runs (which change nothing).
 */
export const OperationState = ({ op }: { op?: OperationSummary }) => {
  if (!op || (op.phase === 'Succeeded' && !op.dryRun)) return null;
  const failed = op.phase === 'Failed' || op.phase === 'Error';
  const label = `${op.dryRun ? 'Dry run: ' : ''}${
    OPERATION_TEXT[op.phase] ?? `Operation ${op.phase}`
  }`;
  const at = op.finishedAt ?? op.startedAt;
  return (
    <Typography
      variant="body2"
      component="div"
      color={failed ? 'error' : 'textPrimary'}
      style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
    >
      {label}
      {at && (
        <>
          {' '}
          <When at={at} />
        </>
      )}
      {op.initiatedBy && ` (by ${op.initiatedBy})`}
      {op.message && `: ${op.message}`}
    </Typography>
  );
};

/** The ApplicationSet's conditions that need attention, with their messages. */
export const ApplicationSetConditions = ({
  name,
  conditions,
}: {
  name?: string;
  conditions?: ArgoCdApplicationSetCondition[];
}) => {
  const shown = (conditions ?? []).filter(
    c => applicationSetConditionState(c) !== 'ok',
  );
  if (shown.length === 0) return null;
  return (
    <Box data-testid="argocd-appset-conditions">
      {shown.map(c => (
        <Typography
          key={c.type}
          variant="body2"
          component="div"
          color={
            applicationSetConditionState(c) === 'error'
              ? 'error'
              : 'textPrimary'
          }
          style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
        >
          ApplicationSet {name}: {c.type}={c.status}
          {c.reason && ` (${c.reason})`}
          {c.message && `: ${c.message}`}
        </Typography>
      ))}
    </Box>
  );
};
