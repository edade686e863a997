import { Link } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import type { OpenChange } from '@epicshelter/plugin-environments-common';

/**
 * Says that a change to an environment is open: a link to its pull request,
 * or the unmerged branch of the local repository.
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
            title="A change to this environment is proposed and not merged yet"
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
        title={`Branch ${change.branch} holds a change not merged yet`}
      />
    </div>
  );
}
