import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import { ApplicationSummary } from '@epicshelter/plugin-argocd-common';
import { useState } from 'react';
import { ArgoCdAppRef, argoCdApiRef } from '../api/ArgoCdApi';
import { errorMessage } from '../api/errorMessage';

type Action = 'sync' | 'refresh' | 'terminate';

const LABELS: Record<Action, string> = {
  sync: 'Sync',
  refresh: 'Refresh',
  terminate: 'Terminate operation',
};

/** What the user is told once Argo CD accepted the action (a dry run never "started"). */
function successMessage(
  action: Action,
  app: ApplicationSummary,
  options: { dryRun: boolean; hard: boolean },
): string {
  const on = `${app.name} on ${app.instance}`;
  if (action === 'sync' && options.dryRun) {
    return `Dry run of ${on} requested: Argo CD only compares, nothing is applied; the result shows as the operation state.`;
  }
  if (action === 'sync') return `Sync of ${on} started`;
  if (action === 'refresh') {
    return `${options.hard ? 'Hard refresh' : 'Refresh'} of ${on} requested`;
  }
  return `Termination of the running operation of ${on} requested`;
}

/** Sync / refresh / terminate with confirmation and progress; render only when allowed. */
export const ActionButtons = ({
  app,
  appRef,
  onDone,
}: {
  app: ApplicationSummary;
  appRef: ArgoCdAppRef;
  onDone: () => void;
}) => {
  const api = useApi(argoCdApiRef);
  const alertApi = useApi(alertApiRef);
  const [open, setOpen] = useState<Action | undefined>();
  const [running, setRunning] = useState<Action | undefined>();
  const [prune, setPrune] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [hard, setHard] = useState(false);
  const operationRunning = app.operationPhase === 'Running';

  const run = async (action: Action) => {
    setOpen(undefined);
    setRunning(action);
    try {
      if (action === 'sync') await api.sync(appRef, { prune, dryRun });
      if (action === 'refresh')
        await api.refresh(appRef, { type: hard ? 'hard' : 'normal' });
      if (action === 'terminate') await api.terminate(appRef);
      alertApi.post({
        message: successMessage(action, app, { dryRun, hard }),
        severity: action === 'sync' && dryRun ? 'info' : 'success',
        display: 'transient',
      });
      onDone();
    } catch (e) {
      alertApi.post({
        message: `${
          action === 'sync' && dryRun ? 'Dry run' : LABELS[action]
        } of ${app.name} on ${app.instance} failed: ${errorMessage(e)}`,
        severity: 'error',
      });
    } finally {
      setRunning(undefined);
    }
  };

  const button = (action: Action, disabled = false) => (
    <Button
      size="small"
      variant="outlined"
      disabled={Boolean(running) || disabled}
      onClick={() => setOpen(action)}
      startIcon={
        running === action ? <CircularProgress size={14} /> : undefined
      }
    >
      {LABELS[action]}
    </Button>
  );

  return (
    <>
      {button('sync', operationRunning)}
      {button('refresh')}
      {operationRunning && button('terminate')}
      <Dialog open={Boolean(open)} onClose={() => setOpen(undefined)}>
        <DialogTitle>
          {open && LABELS[open]} {app.name}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {open === 'sync' &&
              `Argo CD instance "${app.instance}" will apply the target revision of ${app.name} to the cluster.`}
            {open === 'refresh' &&
              `Argo CD instance "${app.instance}" will compare ${app.name} with Git again.`}
            {open === 'terminate' &&
              `The running operation of ${app.name} will be stopped; resources already applied stay as they are.`}
          </DialogContentText>
          {open === 'sync' && (
            <>
              <FormControlLabel
                control={
                  <Checkbox
                    checked={prune}
                    onChange={e => setPrune(e.target.checked)}
                  />
                }
                label="Prune resources no longer in Git"
              />
              <FormControlLabel
                control={
                  <Checkbox
                    checked={dryRun}
                    onChange={e => setDryRun(e.target.checked)}
                  />
                }
                label="Dry run"
              />
            </>
          )}
          {open === 'refresh' && (
            <FormControlLabel
              control={
                <Checkbox
                  checked={hard}
                  onChange={e => setHard(e.target.checked)}
                />
              }
              label="Hard refresh (regenerate manifests)"
            />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(undefined)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            onClick={() => open && run(open)}
          >
            {open && LABELS[open]}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
