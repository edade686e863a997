import path from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import policyModule from '@epicshelter/plugin-permission-backend-module-policy';
// The test runs the environments plugin next to this module, as the backend
// does, so that an agent lists environments and changes them in one session.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import environmentsPlugin from '@epicshelter/plugin-environments-backend';
import { testDatabaseServiceFactory } from '@epicshelter/plugin-gitops-node/testUtils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import gitopsModule from './index';
import {
  git,
  repositorySnapshot,
  seedRepository,
} from './__testUtils__/localRepo';
import {
  platformFixture,
  webEnvironment,
} from './__testUtils__/platformFixture';
import { onBehalfOfHttpAuthServiceFactory } from './__testUtils__/oboAuth';
import { waitForEntity } from './__testUtils__/scaffolderBackend';

jest.setTimeout(180_000);

const LINUS = 'user:default/linus'; // platform-team, owner of staging
const ALICE = 'user:default/alice'; // checkout-team, owner of dev
const GRACE = 'user:default/grace'; // sre, a child group of platform-team
const NOBODY = 'user:default/nobody'; // in no group, owns nothing

/** Memberships the sign-in resolver would put in the token (as __fixtures__/org.yaml). */
const OWNERSHIP: Record<string, string[]> = {
  [LINUS]: ['group:default/platform-team'],
  [ALICE]: ['group:default/checkout-team'],
  [GRACE]: ['group:default/sre'],
};

/** The agent tools that change environments, as MCP names them. */
const CHANGE_TOOLS = [
  'scaffolder.create-environment',
  'scaffolder.add-environment-resource',
  'scaffolder.promote-environment',
  'scaffolder.decommission-environment',
];

type AuditRecord = {
  plugin: string;
  eventId: string;
  meta?: Record<string, unknown>;
  outcome?: 'success' | 'fail';
  error?: string;
};

/** An auditor that keeps every event, to check who did what. */
function capturingAuditor(records: AuditRecord[]) {
  return createServiceFactory({
    service: coreServices.auditor,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => ({
      async createEvent(options) {
        const record: AuditRecord = {
          plugin: plugin.getId(),
          eventId: options.eventId,
          meta: options.meta as Record<string, unknown>,
        };
        records.push(record);
        return {
          async success(o) {
            record.outcome = 'success';
            record.meta = { ...record.meta, ...o?.meta };
          },
          async fail(o) {
            record.outcome = 'fail';
            record.error = o.error.message;
          },
        };
      },
    }),
  });
}

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, any>;
};

/**
 * An agent: the MCP SDK's client over Streamable HTTP against the running
 * backend's mcp-actions plugin, signed in as `user`.
 */
async function connectAgent(baseUrl: string, user: string) {
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(
      new URL(`${baseUrl}/api/mcp-actions/v1`),
      {
        requestInit: {
          headers: { Authorization: mockCredentials.user.header(user) },
        },
      },
    ),
  );
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as ToolResult;
  return { client, call };
}

/**
 * Agents using Epicshelter over MCP: the real mcp-actions, catalog,
 * permission (with the Epicshelter policy), scaffolder-module and
 * environments plugins with the real actions registry, on a local GitOps
 * repository holding environments dev (checkout-team) and staging
 * (platform-team).
 */
describe('Epicshelter actions over MCP', () => {
  const dir = createMockDirectory();
  const audits: AuditRecord[] = [];
  let server: any;
  let baseUrl: string;
  let repo: string;

  beforeAll(async () => {
    repo = path.join(dir.path, 'gitops');
    seedRepository(repo, {
      ...platformFixture(),
      ...webEnvironment('dev', 'group:default/checkout-team', {
        workloadOverrides: { web: { imageTag: '2.0.0' } },
      }),
      ...webEnvironment('staging', 'group:default/platform-team', {
        workloadOverrides: { web: { imageTag: '1.0.0' } },
      }),
    });
    ({ server } = await startTestBackend({
      features: [
        testDatabaseServiceFactory,
        onBehalfOfHttpAuthServiceFactory,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        capturingAuditor(audits),
        catalogPlugin,
        scaffolderPlugin,
        permissionPlugin,
        policyModule,
        gitopsModule,
        environmentsPlugin,
        mcpActionsPlugin,
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
            backend: {
              actions: { pluginSources: ['scaffolder', 'environments'] },
            },
            permission: { enabled: true },
            epicshelter: { platformAdmins: ['group:default/admins'] },
            gitops: { repository: repo, defaultBranch: 'main' },
            catalog: {
              rules: [{ allow: ['User', 'Group', 'Resource'] }],
              locations: [
                {
                  type: 'file',
                  target: path.resolve(__dirname, '__fixtures__/org.yaml'),
                },
                {
                  type: 'file',
                  target: path.resolve(
                    __dirname,
                    '__fixtures__/mcp-environments.yaml',
                  ),
                },
              ],
            },
          },
        }),
      ],
    }));
    baseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
    await Promise.all([
      waitForEntity(server, 'user', 'linus'),
      waitForEntity(server, 'group', 'platform-team'),
      waitForEntity(server, 'resource', 'staging'),
      waitForEntity(server, 'resource', 'dev'),
    ]);
  });

  it('lists its tools with truthful attributes', async () => {
    const { client } = await connectAgent(baseUrl, LINUS);
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map(t => [t.name, t]));
    const hints = (name: string) => {
      const a = byName[name]?.annotations;
      return a && [a.readOnlyHint, a.destructiveHint, a.idempotentHint];
    };
    expect(hints('environments.list-environments')).toEqual([
      true,
      false,
      true,
    ]);
    expect(hints('environments.get-environment-status')).toEqual([
      true,
      false,
      true,
    ]);
    expect(hints('scaffolder.create-environment')).toEqual([
      false,
      false,
      false,
    ]);
    expect(hints('scaffolder.add-environment-resource')).toEqual([
      false,
      false,
      false,
    ]);
    expect(hints('scaffolder.promote-environment')).toEqual([
      false,
      true,
      true,
    ]);
    expect(hints('scaffolder.decommission-environment')).toEqual([
      false,
      true,
      false,
    ]);
    expect(
      byName['scaffolder.create-environment'].inputSchema.properties,
    ).toHaveProperty('confirm');
    await client.close();
  });

  it('lists environments and reads the status of one', async () => {
    const { client, call } = await connectAgent(baseUrl, LINUS);
    const listed = await call('environments.list-environments', {});
    expect(listed.isError).toBeFalsy();
    expect(listed.structuredContent?.environments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'staging',
          entityRef: 'resource:default/staging',
          owner: 'group:default/platform-team',
        }),
      ]),
    );
    const mine = await call('environments.list-environments', {
      owner: 'checkout-team',
    });
    expect(
      mine.structuredContent?.environments.map((e: { name: string }) => e.name),
    ).toEqual(['dev']);

    const status = await call('environments.get-environment-status', {
      environment: 'resource:default/staging',
    });
    expect(status.isError).toBeFalsy();
    expect(status.structuredContent).toMatchObject({
      environment: { name: 'staging' },
      status: { environment: 'staging' },
      lifecycle: { environment: 'staging' },
    });
    await client.close();
  });

  it('creates an environment by a dry run, then a confirmation', async () => {
    const { client, call } = await connectAgent(baseUrl, LINUS);
    const spec = {
      name: 'agent-dev',
      owner: 'group:default/platform-team',
      target: 'local',
      provider: 'local',
      workloads: ['web'],
    };
    const before = repositorySnapshot(repo);
    const preview = await call('scaffolder.create-environment', { spec });
    expect(preview.isError).toBeFalsy();
    const planned = preview.structuredContent!;
    expect(planned).toMatchObject({
      dryRun: true,
      environment: 'agent-dev',
      entityRef: 'resource:default/agent-dev',
      baseCommit: git(repo, 'rev-parse', 'main'),
    });
    const paths = planned.files.map((f: { path: string }) => f.path);
    expect(paths).toContain('environments/agent-dev/environment.yaml');
    expect(planned.diff).toContain(
      '+++ b/environments/agent-dev/environment.yaml',
    );
    expect(planned.renderedDiff).toContain(
      '+          image: ghcr.io/epicshelter/web:1.0.0',
    );
    expect(planned.renderProblems).toEqual([]);
    expect(repositorySnapshot(repo)).toEqual(before);
    // a dry run writes nothing, so it is not audited as a change
    expect(audits.filter(a => a.eventId.startsWith('environment-'))).toEqual(
      [],
    );

    const confirmed = await call('scaffolder.create-environment', {
      spec,
      confirm: true,
      baseCommit: planned.baseCommit,
    });
    expect(confirmed.isError).toBeFalsy();
    const head = git(repo, 'rev-parse', 'main');
    expect(confirmed.structuredContent).toMatchObject({
      dryRun: false,
      commitSha: head,
      url: expect.stringContaining(head),
    });
    expect(
      git(repo, 'show', '--name-only', '--format=', 'main').split('\n').sort(),
    ).toEqual([...paths].sort());
    expect(git(repo, 'log', '-1', '--format=%B', 'main')).toContain(
      'Requested-by: Linus Torvalds <linus@example.com>',
    );
    expect(
      audits.find(
        a => a.plugin === 'scaffolder' && a.eventId === 'environment-create',
      ),
    ).toMatchObject({
      outcome: 'success',
      meta: {
        actor: LINUS,
        environment: 'agent-dev',
        commitSha: head,
      },
    });
    await client.close();
  });

  it('promotes a workload, previewing the rendered diff first', async () => {
    const { client, call } = await connectAgent(baseUrl, LINUS);
    const input = { from: 'dev', to: 'staging', workloads: ['web'] };
    const preview = await call('scaffolder.promote-environment', input);
    expect(preview.isError).toBeFalsy();
    expect(preview.structuredContent?.renderedDiff).toContain(
      '-          image: ghcr.io/epicshelter/web:1.0.0\n+          image: ghcr.io/epicshelter/web:2.0.0',
    );
    const confirmed = await call('scaffolder.promote-environment', {
      ...input,
      confirm: true,
      baseCommit: preview.structuredContent?.baseCommit,
    });
    expect(confirmed.isError).toBeFalsy();
    expect(
      git(repo, 'show', 'main', '--', 'environments/staging/workloads'),
    ).toContain('+    newTag: 2.0.0');
    await client.close();
  });

  it('refuses a promotion into an environment the caller does not own, writing nothing', async () => {
    const { client, call } = await connectAgent(baseUrl, ALICE);
    const before = repositorySnapshot(repo);
    const refused = await call('scaffolder.promote-environment', {
      from: 'dev',
      to: 'staging',
      workloads: ['web'],
      confirm: true,
    });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toBe(
      "NotAllowedError: You may not promote web from 'dev' to environment 'staging': it is owned by group:default/platform-team, and only its owners and platform admins may change it. Nothing was changed; ask group:default/platform-team to make the change.",
    );
    expect(repositorySnapshot(repo)).toEqual(before);
    expect(
      audits.find(
        a => a.eventId === 'environment-promote' && a.meta?.actor === ALICE,
      ),
    ).toMatchObject({ outcome: 'fail' });
    await client.close();
  });
  it('adds a resource to an environment by a dry run, then a confirmation', async () => {
    const { client, call } = await connectAgent(baseUrl, LINUS);
    const input = {
      environment: 'resource:default/staging',
      type: 'cache',
      resource: { name: 'sessions', engine: 'redis', size: 'small' },
    };
    const before = repositorySnapshot(repo);
    const preview = await call('scaffolder.add-environment-resource', input);
    expect(preview.isError).toBeFalsy();
    expect(preview.structuredContent).toMatchObject({
      dryRun: true,
      environment: 'staging',
      title: 'Environment staging: add cache sessions',
    });
    expect(preview.structuredContent?.diff).toContain('name: sessions');
    expect(repositorySnapshot(repo)).toEqual(before);
    const confirmed = await call('scaffolder.add-environment-resource', {
      ...input,
      confirm: true,
      baseCommit: preview.structuredContent?.baseCommit,
    });
    expect(confirmed.isError).toBeFalsy();
    expect(
      git(repo, 'show', '--name-only', '--format=', 'main').split('\n').sort(),
    ).toEqual(
      preview.structuredContent?.files
        .map((f: { path: string }) => f.path)
        .sort(),
    );
    await client.close();
  });

  it('refuses a confirmation whose base is stale, writing nothing', async () => {
    const { client, call } = await connectAgent(baseUrl, LINUS);
    const before = repositorySnapshot(repo);
    const stale = await call('scaffolder.add-environment-resource', {
      environment: 'staging',
      type: 'bucket',
      resource: { name: 'assets' },
      confirm: true,
      // the seed commit: staging changed since (promotion, cache)
      baseCommit: git(repo, 'rev-list', '--max-parents=0', 'main'),
    });
    expect(stale.isError).toBe(true);
    expect(stale.content[0].text).toMatch(/^ConflictError: /);
    expect(repositorySnapshot(repo)).toEqual(before);
    await client.close();
  });

  it('decommissions an environment only with its name typed as confirmation', async () => {
    const { client, call } = await connectAgent(baseUrl, LINUS);
    const preview = await call('scaffolder.decommission-environment', {
      environment: 'staging',
    });
    expect(preview.isError).toBeFalsy();
    expect(preview.structuredContent).toMatchObject({
      dryRun: true,
      deleted: expect.arrayContaining([
        'environments/staging/environment.yaml',
      ]),
      dataLoss: [],
    });
    const before = repositorySnapshot(repo);
    const unconfirmed = await call('scaffolder.decommission-environment', {
      environment: 'staging',
      confirm: true,
    });
    expect(unconfirmed.content[0].text).toBe(
      "InputError: To decommission environment 'staging', pass its name 'staging' as confirmation; nothing was changed.",
    );
    expect(repositorySnapshot(repo)).toEqual(before);
    const done = await call('scaffolder.decommission-environment', {
      environment: 'staging',
      confirm: true,
      confirmation: 'staging',
      baseCommit: preview.structuredContent?.baseCommit,
    });
    expect(done.isError).toBeFalsy();
    expect(
      git(repo, 'ls-tree', '--name-only', 'main', 'environments/'),
    ).not.toContain('staging');
    expect(
      audits.filter(a => a.eventId === 'environment-decommission'),
    ).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        meta: expect.objectContaining({ actor: LINUS }),
      }),
      expect.objectContaining({
        outcome: 'success',
        meta: expect.objectContaining({ actor: LINUS }),
      }),
    ]);
    await client.close();
  });

  it('hides the change tools from a caller who may change nothing, and answers not found when it calls one', async () => {
    const { client, call } = await connectAgent(baseUrl, NOBODY);
    const names = (await client.listTools()).tools.map(t => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'environments.list-environments',
        'environments.get-environment-status',
      ]),
    );
    for (const tool of CHANGE_TOOLS) expect(names).not.toContain(tool);
    const before = repositorySnapshot(repo);
    const refused = await call('scaffolder.promote-environment', {
      from: 'dev',
      to: 'staging',
      workloads: ['web'],
      confirm: true,
    });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toBe(
      'NotFoundError: Action "scaffolder.promote-environment" not found',
    );
    // The registry itself answers not found too, to a direct call.
    const direct = await fetch(
      `${baseUrl}/api/scaffolder/.backstage/actions/v2/actions/scaffolder:promote-environment/invoke`,
      {
        method: 'POST',
        headers: {
          Authorization: mockCredentials.user.header(NOBODY),
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          input: { from: 'dev', to: 'staging', workloads: ['web'] },
        }),
      },
    );
    expect(direct.status).toBe(404);
    expect(repositorySnapshot(repo)).toEqual(before);
    await client.close();
  });

  it('shows the change tools to owners of an environment, through child groups too', async () => {
    for (const owner of [ALICE, GRACE]) {
      const { client } = await connectAgent(baseUrl, owner);
      const names = (await client.listTools()).tools.map(t => t.name);
      expect(names).toEqual(expect.arrayContaining(CHANGE_TOOLS));
      await client.close();
    }
  });
});
