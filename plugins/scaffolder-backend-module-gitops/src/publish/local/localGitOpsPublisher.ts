import { InputError } from '@backstage/errors';
import type { Config } from '@backstage/config';
import type {
  GitOpsPublisher,
  GitOpsRepositoryLocation,
} from '@epicshelter/plugin-gitops-node';
import { gitOpsCommitPagePath } from '@epicshelter/plugin-environments-common';
import { LocalGitPublisher } from './LocalGitPublisher';
import { readPublishSettings } from '../settings';
import type { ChangeFile } from '../types';

/**
 * The local git publisher: one commit with isomorphic-git, on the default
 * branch (`direct`) or on the change branch (`branch`, default
 * `gitops.localMode`). The configured repository is created from the
 * blueprint on first use; a repository the task names only with
 * `initialize` (from the change's files).
 * @public
 */
export function createLocalGitOpsPublisher(options: {
  config: Config;
  /** Blueprint for creating the configured repository on first use. */
  loadBlueprint?: () => Promise<ChangeFile[]>;
}): GitOpsPublisher {
  return {
    type: 'local',
    supports: (location: GitOpsRepositoryLocation) => location.type === 'local',
    async publish({
      location,
      request,
      mode,
      initialize,
      fromConfig,
      logger,
      checkpoint,
    }) {
      if (location.type !== 'local') {
        throw new InputError('The local publisher needs a local repository');
      }
      const settings = readPublishSettings(options.config);
      const localMode = mode ?? settings.localMode;
      if (localMode === 'pull-request') {
        throw new InputError(
          `${location.path} is a local repository: use mode "branch" or "direct", not "pull-request"`,
        );
      }
      const publisher = new LocalGitPublisher({
        path: location.path,
        logger,
        createIfMissing: initialize
          ? true
          : fromConfig && !!options.loadBlueprint,
        defaultBranch: settings.defaultBranch ?? 'main',
        blueprint: initialize
          ? async () => request.files
          : options.loadBlueprint,
        committer: request.committer,
      });
      const result = await publisher.publish(request, localMode, checkpoint);
      return {
        repositoryType: 'local',
        repository: result.repositoryPath,
        branch: result.branch,
        commitSha: result.commitSha,
        // the portal shows commits of its own repository; never a server path
        ...(fromConfig
          ? { webUrl: gitOpsCommitPagePath(result.commitSha) }
          : {}),
      };
    },
  };
}
