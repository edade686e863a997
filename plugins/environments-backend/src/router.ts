import express from 'express';
import Router from 'express-promise-router';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type { GitOpsLocalRepository } from '@epicshelter/plugin-environments-common';
import type { EnvironmentService } from './services/EnvironmentService';
import type { DecommissionTracker } from './services/DecommissionTracker';
import type { EnvironmentWorkloadsReader } from './services/workloads';

const NAME = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

function environmentName(value: string): string {
  if (!NAME.test(value)) {
    throw new InputError(
      `Environment name ${JSON.stringify(
        value,
      )} is not a DNS-1123 label (lowercase a-z, 0-9 and '-')`,
    );
  }
  return value;
}

/** The environments routes. @internal */
export async function createRouter(deps: {
  httpAuth: HttpAuthService;
  service: EnvironmentService;
  /** Follows decommissions (GET /environments/:name/decommission). */
  decommission?: DecommissionTracker;
  /** What GET /repositories lists (gitops.repository and gitops.allowedRepositories, local ones). */
  localRepositories?: GitOpsLocalRepository[];
  /** Reads an environment's workloads overlay (GET /environments/:name/workloads). */
  workloads?: EnvironmentWorkloadsReader;
}): Promise<express.Router> {
  const { httpAuth, service } = deps;
  const router = Router();
  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/environments/:name/deployments', async (req, res) => {
    const caller = await credentials(req);
    res.json(
      await service.deployments(environmentName(req.params.name), caller),
    );
  });

  router.get('/environments/:name/lifecycle', async (req, res) => {
    const caller = await credentials(req);
    res.json(await service.lifecycle(environmentName(req.params.name), caller));
  });

  router.get('/environments/:name/decommission', async (req, res) => {
    const caller = await credentials(req);
    const name = environmentName(req.params.name);
    if (!deps.decommission) {
      throw new NotFoundError('Decommissions are not followed by this portal');
    }
    res.json(await deps.decommission.lifecycle(name, caller));
  });

  router.get('/environments/:name/status', async (req, res) => {
    const caller = await credentials(req);
    res.json(await service.status(environmentName(req.params.name), caller));
  });

  router.get('/apps', async (req, res) => {
    await credentials(req);
    res.json(await service.apps());
  });

  router.get('/environments/:name/workloads', async (req, res) => {
    const caller = await credentials(req);
    const name = environmentName(req.params.name);
    if (!deps.workloads) {
      throw new NotFoundError('Workloads overlays are not read by this portal');
    }
    res.json(await deps.workloads.read(name, caller));
  });

  // The bootstrap template's pick list: only signed-in users see the paths.
  router.get('/repositories', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    res.json({ items: deps.localRepositories ?? [] });
  });

  router.get('/matrix', async (req, res) => {
    res.json(await service.matrix(await credentials(req)));
  });

  return router;
}
