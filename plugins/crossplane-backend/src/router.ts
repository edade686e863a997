import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
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

const dnsish = z.string().regex(/^[a-z0-9-_.]+$/i, 'invalid name');
/** What the environments backend remembers of an environment entity the catalog has dropped. */
const entitySnapshotBody = z
  .object({
    entity: z.object({
      apiVersion: z.string().min(1).max(253),
      kind: entityParams.shape.kind,
      metadata: z.object({
        name: dnsish,
        namespace: dnsish.optional(),
        annotations: z.record(z.string(), z.string()).optional(),
        labels: z.record(z.string(), z.string()).optional(),
      }),
      spec: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .strict();

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

  /** Loads the entity and decides each permission for it. */
  const loadWith = async (
    req: express.Request,
    wanted: ResourcePermission<'catalog-entity'>[],
  ) => {
    const { entity, ref, credentials } = await load(req);
    const decisions = await permissions.authorize(
      wanted.map(permission => ({ permission, resourceRef: ref })),
      { credentials },
    );
    const allowed = decisions.map(d => d.result === AuthorizeResult.ALLOW);
    return { entity, ref, allowed };
  };

  router.get('/entity/:kind/:namespace/:name/resources', async (req, res) => {
    const {
      entity,
      ref,
      allowed: [read, yaml],
    } = await loadWith(req, [
      crossplaneReadPermission,
      crossplaneYamlPermission,
    ]);
    if (!read) {
      throw new NotAllowedError(
        `Not allowed to read Crossplane resources of ${ref}`,
      );
    }
    res.json(await service.resources(entity, { yamlAllowed: yaml }));
  });

  /**
   * The live resources of an entity the catalog no longer holds (an
   * environment being decommissioned), from the entity as it was last seen.
   * Only backend plugins may ask (a user could describe any entity), with
   * the same read permission on its ref; no YAML.
   */
  router.post('/entity-snapshots/resources', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const parsed = entitySnapshotBody.safeParse(req.body);
    if (!parsed.success) {
      throw new InputError(
        `Invalid entity snapshot: ${parsed.error.issues
          .map(i => `${i.path.join('.')}: ${i.message}`)
          .join(', ')}`,
      );
    }
    const { entity } = parsed.data;
    const snapshot = {
      ...entity,
      metadata: {
        ...entity.metadata,
        namespace: entity.metadata.namespace ?? 'default',
      },
    } as Entity;
    const ref = stringifyEntityRef(snapshot);
    const [decision] = await permissions.authorize(
      [{ permission: crossplaneReadPermission, resourceRef: ref }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read Crossplane resources of ${ref}`,
      );
    }
    res.json(await service.resources(snapshot, { yamlAllowed: false }));
  });

  router.get('/entity/:kind/:namespace/:name/yaml', async (req, res) => {
    const node = req.query.node;
    if (typeof node !== 'string' || !node) {
      throw new InputError('Query parameter "node" (a node id) is required');
    }
    const { entity, ref, allowed } = await loadWith(req, [
      crossplaneReadPermission,
      crossplaneYamlPermission,
    ]);
    if (!allowed.every(Boolean)) {
      throw new NotAllowedError(
        `Not allowed to view the YAML of Crossplane resources of ${ref}`,
      );
    }
    res.json(await service.yaml(entity, node));
  });

  router.get('/entity/:kind/:namespace/:name/events', async (req, res) => {
    const { entity, ref, allowed } = await loadWith(req, [
      crossplaneReadPermission,
      crossplaneEventsPermission,
    ]);
    if (!allowed.every(Boolean)) {
      throw new NotAllowedError(
        `Not allowed to read Crossplane events of ${ref}`,
      );
    }
    const node = req.query.node;
    if (node !== undefined && (typeof node !== 'string' || !node)) {
      throw new InputError(
        'Query parameter "node", when given, must be one node id',
      );
    }
    res.json(await service.events(entity, node));
  });

  return router;
}
