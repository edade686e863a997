import fs from 'node:fs';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createGitOpsPublishAction } from '../actions/publish';
import type { RepositoryAccess } from '../repository';
import { seedRepository } from './localRepo';

/** An action run: its workspace, its context and its outputs by name. */
export interface ActionRun {
  ws: string;
  ctx: ReturnType<typeof createMockActionContext>;
  out: Record<string, any>;
}

/**
 * What the action tests on a local GitOps repository share: before each
 * test, `<tmp>/gitops` seeded with `files()` in one commit on main and the
 * repository access of an app-config pointing at it (`gitops.repository`);
 * actions run in a fresh workspace each, and the publish action publishes
 * what they wrote. Call it in a `describe` block (it registers a
 * `beforeEach`).
 */
export function useLocalGitopsRepository(files: () => Record<string, string>) {
  const root = createMockDirectory();
  let current:
    | { repo: string; files: Record<string, string>; access: RepositoryAccess }
    | undefined;
  beforeEach(() => {
    root.clear();
    const repo = path.join(root.path, 'gitops');
    const seeded = files();
    seedRepository(repo, seeded);
    const config = new ConfigReader({
      gitops: { repository: repo, defaultBranch: 'main' },
    });
    current = {
      repo,
      files: seeded,
      access: { config, integrations: ScmIntegrations.fromConfig(config) },
    };
  });
  const state = () => {
    if (!current) throw new Error('The GitOps repository is seeded per test');
    return current;
  };

  return {
    /** Path of the seeded repository. */
    get repo() {
      return state().repo;
    },
    /** The files it was seeded with. */
    get files() {
      return state().files;
    },
    /** The repository access of its app-config. */
    get access() {
      return state().access;
    },
    /** Runs `action` with `input` in a fresh workspace. */
    async run(
      action: { handler(ctx: any): Promise<void> },
      input: Record<string, unknown>,
      options: { isDryRun?: boolean } = {},
    ): Promise<ActionRun> {
      const ws = path.join(
        root.path,
        `ws-${Math.random().toString(36).slice(2)}`,
      );
      fs.mkdirSync(ws);
      const ctx = createMockActionContext({
        workspacePath: ws,
        input: input as any,
        isDryRun: options.isDryRun,
      });
      await action.handler(ctx);
      const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      return { ws, ctx, out };
    },
    /** Publishes what an action wrote in `ws` with `epicshelter:gitops:publish`. */
    publish(ws: string, input: Record<string, unknown>): Promise<void> {
      const { config, integrations } = state().access;
      return createGitOpsPublishAction({ config, integrations }).handler(
        createMockActionContext({ workspacePath: ws, input: input as any }),
      );
    },
  };
}
