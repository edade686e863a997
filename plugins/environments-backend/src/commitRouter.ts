import express from 'express';
import Router from 'express-promise-router';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { GitOpsRepository } from '@epicshelter/plugin-gitops-node';
import { readCommitDetails } from './services/commitDetails';

/**
 * `GET /commits/:sha`: a commit of the GitOps repository (what
 * `git show --stat` tells) for the portal's commit page, read through the
 * GitOps repository service, so it answers for a local, GitHub (Enterprise
 * included) or GitLab repository alike and caches by commit. A change
 * published to a local repository links to that page; a hosted one links
 * to its host's commit page, and the portal's page shows the same commit.
 * @internal
 */
export async function createCommitRouter(deps: {
  httpAuth: HttpAuthService;
  /** `gitops.repository`; undefined when app-config has no `gitops` section. */
  repository?: GitOpsRepository;
}): Promise<express.Router> {
  const router = Router();
  router.get('/commits/:sha', async (req, res) => {
    await deps.httpAuth.credentials(req, { allow: ['user', 'service'] });
    if (!deps.repository) {
      throw new NotFoundError(
        'No GitOps repository is configured (gitops.repository), so there is no commit to show',
      );
    }
    res.json(await readCommitDetails(deps.repository, req.params.sha));
  });
  return router;
}
