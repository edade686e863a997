import fs from 'node:fs';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { validateRepository } from '@epicshelter/plugin-gitops-common';
import { createBlueprintFetchAction } from './fetchBlueprint';
import { loadDefaultBlueprint } from '../blueprint';

// Real git repositories and full validation: slow on a loaded 2-core CI.
jest.setTimeout(30_000);

describe('epicshelter:blueprint:fetch', () => {
  const root = createMockDirectory();
  beforeEach(() => root.clear());

  const action = createBlueprintFetchAction({
    loadBlueprint: () => loadDefaultBlueprint(),
  });

  function readTree(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else
          out[path.relative(dir, full).split(path.sep).join('/')] =
            fs.readFileSync(full, 'utf8');
      }
    };
    walk(dir);
    return out;
  }

  it('writes every blueprint file into targetPath, and the result validates', async () => {
    const ctx = createMockActionContext({
      workspacePath: root.path,
      input: { targetPath: 'repo' },
    });
    await action.handler(ctx);
    const blueprint = await loadDefaultBlueprint();
    const written = readTree(path.join(root.path, 'repo'));
    expect(written).toEqual(
      Object.fromEntries(blueprint.map(f => [f.path, f.content])),
    );
    expect(Object.keys(written).some(p => p.startsWith('platform/'))).toBe(
      true,
    );
    expect(validateRepository(written).issues).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('targetPath', 'repo');
    expect(ctx.output).toHaveBeenCalledWith(
      'files',
      blueprint.map(f => f.path),
    );
  });

  it('defaults to gitops/ and also runs in a dry run (it only writes the workspace)', async () => {
    const ctx = {
      ...createMockActionContext({ workspacePath: root.path, input: {} }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(fs.existsSync(path.join(root.path, 'gitops/README.md'))).toBe(true);
  });

  it('refuses a targetPath outside the workspace and writes nothing', async () => {
    const ws = path.join(root.path, 'ws');
    fs.mkdirSync(ws);
    await expect(
      action.handler(
        createMockActionContext({
          workspacePath: ws,
          input: { targetPath: '../outside' },
        }),
      ),
    ).rejects.toThrow(
      'targetPath "../outside" must be a directory inside the workspace',
    );
    expect(fs.readdirSync(root.path)).toEqual(['ws']);
  });

  it('fails with a clear error when the blueprint is empty or missing', async () => {
    const empty = createBlueprintFetchAction({ loadBlueprint: async () => [] });
    await expect(
      empty.handler(createMockActionContext({ workspacePath: root.path })),
    ).rejects.toThrow('The GitOps blueprint is empty: nothing to fetch');
    const missing = createBlueprintFetchAction({
      loadBlueprint: () =>
        loadDefaultBlueprint(path.join(root.path, 'no-such-blueprint')),
    });
    await expect(
      missing.handler(createMockActionContext({ workspacePath: root.path })),
    ).rejects.toThrow(/Blueprint folder .*no-such-blueprint does not exist/);
  });
});
