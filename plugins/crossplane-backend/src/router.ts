import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  crossplaneEventsPermission,
  crossplaneReadPermission,
  crossplaneYamlPermission,
} from '@epicshelter/plugin-crossplane-common';
import { CrossplaneService } from './services/CrossplaneService';

const entityParams = z.object({
  kind: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'kind must be alphanumeric'),
  namespace: z.string().regex(/^[a-z0-9-_.]+$/i, 'invalid namespace'),
  name: z.string().regex(/^[a-z0-9-_.]+$/i, 'invalid name'),
});

/** Builds the plugin's router. */
export async function createRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  service: CrossplaneService;
}): Promise<express.Router> {
  const { httpAuth, permissions, catalog, service } = deps;
  const router = Router();
  router.use(express.json());

  const load = async (req: express.Request) => {
    const parsed = entityParams.safeParse(req.params);
    if (!parsed.success) {
      throw new InputError(
        `Invalid entity reference: ${parsed.error.issues
          .map(i => `${i.path.join('.')}: ${i.message}`)
          .join(', ')}`,
      );
    }
    const credentials = await httpAuth.credentials(req);
    const ref = stringifyEntityRef(parsed.data);
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw new NotFoundError(`Entity ${ref} not found`);
    return { entity, ref, credentials };
  };

  router.get('/entity/:kind/:namespace/:name/resources', async (req, res) => {
    const { entity, ref, credentials } = await load(req);
    const [read, yaml] = await permissions.authorize(
      [
        { permission: crossplaneReadPermission, resourceRef: ref },
        { permission: crossplaneYamlPermission, resourceRef: ref },
      ],
      { credentials },
    );
    if (read.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read Crossplane resources of ${ref}`,
      );
    }
    res.json(
      await service.resources(entity, {
        yamlAllowed: yaml.result === AuthorizeResult.ALLOW,
      }),
    );
  });

  router.get('/entity/:kind/:namespace/:name/yaml', async (req, res) => {
    const node = req.query.node;
    if (typeof node !== 'string' || !node) {
      throw new InputError('Query parameter "node" (a node id) is required');
    }
    const { entity, ref, credentials } = await load(req);
    const decisions = await permissions.authorize(
      [
        { permission: crossplaneReadPermission, resourceRef: ref },
        { permission: crossplaneYamlPermission, resourceRef: ref },
      ],
      { credentials },
    );
    if (decisions.some(d => d.result !== AuthorizeResult.ALLOW)) {
      throw new NotAllowedError(
        `Not allowed to view the YAML of Crossplane resources of ${ref}`,
      );
    }
    res.json(await service.yaml(entity, node));
  });

  router.get('/entity/:kind/:namespace/:name/events', async (req, res) => {
    const { entity, ref, credentials } = await load(req);
    const [read, events] = await permissions.authorize(
      [
        { permission: crossplaneReadPermission, resourceRef: ref },
        { permission: crossplaneEventsPermission, resourceRef: ref },
      ],
      { credentials },
    );
    if (
      read.result !== AuthorizeResult.ALLOW ||
      events.result !== AuthorizeResult.ALLOW
    ) {
      throw new NotAllowedError(
        `Not allowed to read Crossplane events of ${ref}`,
      );
    }
    res.json(await service.events(entity));
  });

  return router;
}
