import path from 'node:path';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import policyModule from '@epicshelter/plugin-permission-backend-module-policy';
import { testDatabaseServiceFactory } from '@epicshelter/plugin-gitops-node/testUtils';
import gitopsModule from '../index';
import { seedRepository } from './localRepo';
import { platformFixture } from './platformFixture';
import { waitForEntity } from './scaffolderBackend';
import { onBehalfOfHttpAuthServiceFactory } from './oboAuth';

const FIXTURES = path.resolve(__dirname, '../__fixtures__');

/** Member of platform-team (__fixtures__/org.yaml), which owns `staging`. */
export const LINUS = 'user:default/linus';
/** Member of checkout-team (__fixtures__/org.yaml). */
export const ALICE = 'user:default/alice';

/**
 * Who belongs to which group, as the sign-in resolver would put it in the
 * token (the catalog holds the same memberships: __fixtures__/org.yaml).
 */
const OWNERSHIP: Record<string, string[]> = {
  'user:default/linus': ['group:default/platform-team'],
  'user:default/grace': ['group:default/sre'],
  'user:default/alice': ['group:default/checkout-team'],
  'user:default/root': ['group:default/admins'],
};

/**
 * The real scaffolder, catalog and permission backends with this module and
 * the Epicshelter policy (platform admins: group admins), the users, groups
 * and `staging` environment entity of __fixtures__/org.yaml, and the test
 * templates of __fixtures__/templates, on the GitOps repository `gitops`.
 */
export async function startGitopsBackend(
  gitops: Record<string, unknown>,
  /** More catalog files (e.g. environment entities a test needs). */
  catalogFiles: string[] = [],
  /** More backend features (e.g. a module with a test action). */
  extraFeatures: BackendFeature[] = [],
) {
  const { server } = await startTestBackend({
    features: [
      ...extraFeatures,
      testDatabaseServiceFactory,
      onBehalfOfHttpAuthServiceFactory,
      scaffolderPlugin,
      catalogPlugin,
      scaffolderEntityModel,
      permissionPlugin,
      policyModule,
      gitopsModule,
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs: [ref, ...(OWNERSHIP[ref] ?? [])],
          };
        },
      }).factory,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          epicshelter: { platformAdmins: ['group:default/admins'] },
          scaffolder: {
            defaultAuthor: { name: 'Portal Bot', email: 'bot@example.com' },
          },
          gitops: { defaultBranch: 'main', ...gitops },
          catalog: {
            rules: [{ allow: ['Template', 'User', 'Group', 'Resource'] }],
            locations: [
              { type: 'file', target: path.join(FIXTURES, 'org.yaml') },
              ...catalogFiles.map(target => ({ type: 'file', target })),
              ...['create', 'add-resource'].map(name => ({
                type: 'file',
                target: path.join(FIXTURES, 'templates', `${name}.yaml`),
              })),
              // the real template, as the portal serves it
              {
                type: 'file',
                target: path.resolve(
                  __dirname,
                  '../../../../templates/promote-workload/template.yaml',
                ),
              },
              {
                type: 'file',
                target: path.resolve(
                  __dirname,
                  '../../../../templates/extend-environment/template.yaml',
                ),
              },
              {
                type: 'file',
                target: path.resolve(
                  __dirname,
                  '../../../../templates/decommission-environment/template.yaml',
                ),
              },
            ],
          },
        },
      }),
    ],
  });
  await Promise.all([
    waitForEntity(server, 'template', 'test-create'),
    waitForEntity(server, 'template', 'test-add-resource'),
    waitForEntity(server, 'user', 'linus'),
    waitForEntity(server, 'group', 'platform-team'),
    waitForEntity(server, 'resource', 'staging'),
  ]);
  return server;
}

/**
 * The backend of {@link startGitopsBackend} on a local GitOps repository
 * `<dir>/gitops` seeded with the platform fixture and `files`, once the
 * template `template` is in the catalog.
 */
export async function startOnLocalRepository(
  dir: string,
  files: Record<string, string>,
  template: string,
): Promise<{ server: any; repo: string }> {
  const repo = path.join(dir, 'gitops');
  seedRepository(repo, { ...platformFixture(), ...files });
  const server = await startGitopsBackend({ repository: repo });
  await waitForEntity(server, 'template', template);
  return { server, repo };
}

/** A spec for `test-create`. */
export function environmentSpec(name: string, owner: string) {
  return {
    name,
    owner,
    target: 'local',
    provider: 'local',
    crossplaneApi: 'v2',
    workloads: ['web'],
    resources: {
      databases: [
        { name: 'main', engine: 'postgres', version: '16', size: 'small' },
      ],
    },
  };
}
