import express from 'express';
import Router from 'express-promise-router';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { readLocalCommit } from './services/commitDetails';

/**
 * `GET /commits/:sha`: a commit of the local GitOps repository (what
 * `git show --stat` tells), for the portal's commit page, which a change
 * published to a local repository links to. With a GitHub repository there
 * is no such route: GitHub shows its commits itself.
 * @internal
 */
export async function createCommitRouter(deps: {
  httpAuth: HttpAuthService;
  /** Path of the local GitOps repository; undefined when it is on GitHub. */
  localRepositoryPath?: string;
}): Promise<express.Router> {
  const router = Router();
  router.get('/commits/:sha', async (req, res) => {
    await deps.httpAuth.credentials(req, { allow: ['user', 'service'] });
    if (!deps.localRepositoryPath) {
      throw new NotFoundError(
        'Commit pages are served for a local GitOps repository only; a GitHub repository shows its commits on GitHub',
      );
    }
    res.json(await readLocalCommit(deps.localRepositoryPath, req.params.sha));
  });
  return router;
}
