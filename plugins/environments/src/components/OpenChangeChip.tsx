import { Link } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import type { OpenChange } from '@epicshelter/plugin-environments-common';

/** What the change touches, for the chip's hover text. */
function scope(change: OpenChange): string {
  if (change.removesEnvironment) return 'removes this environment';
  return change.workloads && change.workloads.length > 0
    ? `changes ${change.workloads.join(', ')}`
    : 'changes this environment';
}

/**
 * Says that a change to an environment is open: a link to its pull request,
 * or the unmerged branch of the local repository; on hover, what it
 * touches.
 */
export function OpenChangeChip(props: { change: OpenChange; testId: string }) {
  const { change, testId } = props;
  if (change.kind === 'pull-request') {
    return (
      <div data-testid={testId}>
        <Link to={change.url}>
          <Chip
            size="small"
            color="primary"
            clickable
            label={`${change.draft ? 'draft' : 'change'} #${
              change.number
            } open`}
            title={`Proposed and not merged yet: ${scope(change)}`}
          />
        </Link>
      </div>
    );
  }
  return (
    <div data-testid={testId}>
      <Chip
        size="small"
        color="primary"
        label="change open"
        title={`Branch ${change.branch} holds a change not merged yet: ${scope(
          change,
        )}`}
      />
    </div>
  );
}
