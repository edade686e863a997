import fs from 'node:fs';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { validateRepository } from '@epicshelter/plugin-gitops-common';
import { git, seedRepository } from './__testUtils__/localRepo';
import { platformFixture } from './__testUtils__/platformFixture';
import { failureOf, runTask } from './__testUtils__/scaffolderBackend';
import {
  environmentSpec,
  startGitopsBackend,
} from './__testUtils__/gitopsBackend';

jest.setTimeout(180_000);

/**
 * Two teams create the same environment at the same time through the
 * scaffolder REST API, against a real local git repository.
 */
describe('concurrent creates through the scaffolder REST API', () => {
  const dir = createMockDirectory();

  it('completes one, fails the other with a sentence, and the repository holds the winner whole', async () => {
    const repo = path.join(dir.path, 'gitops');
    seedRepository(repo, platformFixture());
    const base = git(repo, 'rev-parse', 'main');
    const server = await startGitopsBackend({ repository: repo });

    const teams = [
      { user: 'user:default/alice', owner: 'group:default/checkout-team' },
      { user: 'user:default/linus', owner: 'group:default/platform-team' },
    ];
    const runs = await Promise.all(
      teams.map(t =>
        runTask(
          server,
          'template:default/test-create',
          { spec: environmentSpec('contested', t.owner) },
          t.user,
        ),
      ),
    );

    const winners = runs.filter(r => r.status === 'completed');
    const losers = runs.filter(r => r.status === 'failed');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    // lost the race at publish, or read the winner's commit already
    // (a sentence: no stack trace, no server path)
    expect(failureOf(losers[0].events)).toMatch(
      /^(Environment 'contested' was created meanwhile by another change \(commit [0-9a-f]{7}\); nothing was written\. Run the template again to start from the current state\.|Invalid environment: spec\.name: environment "contested" already exists in the repository \(environments\/contested\); choose another name)$/,
    );
    expect(JSON.stringify(losers[0].events)).not.toContain(dir.path);

    expect(git(repo, 'rev-list', '--count', `${base}..main`)).toBe('1');
    const winner = teams[runs.indexOf(winners[0])];
    expect(
      fs.readFileSync(
        path.join(repo, 'environments/contested/environment.yaml'),
        'utf8',
      ),
    ).toContain(`owner: ${winner.owner}`);
    const tree: Record<string, string> = {};
    for (const f of git(repo, 'ls-tree', '-r', '--name-only', 'main').split(
      '\n',
    )) {
      tree[f] = fs.readFileSync(path.join(repo, f), 'utf8');
    }
    expect(validateRepository(tree).issues).toEqual([]);
  });
});
