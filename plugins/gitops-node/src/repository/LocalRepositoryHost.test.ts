import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { DefaultGitOpsRepositoryService } from './GitOpsRepositoryService';
import { TestGitRepo } from '../__testUtils__/gitRepo';

const open = (repository: string) =>
  DefaultGitOpsRepositoryService.fromConfig(
    new ConfigReader({ gitops: { repository } }),
  ).configured()!;

describe('a local GitOps repository', () => {
  let repo: TestGitRepo;
  beforeEach(() => {
    repo = new TestGitRepo();
  });
  afterEach(() => repo.remove());

  it('has no head while it does not exist or has no commit', async () => {
    expect(await open(path.join(repo.dir, 'not-yet')).head()).toBeUndefined();
    expect(await open(repo.dir).head()).toBeUndefined();
  });

  it('refuses a folder that is not a git repository', async () => {
    const plain = path.join(repo.dir, 'plain');
    fs.mkdirSync(plain);
    await expect(open(plain).head()).rejects.toThrow(
      'GitOps repository plain is not a git repository (no .git); point gitops.repository at a repository',
    );
  });

  it("names itself in errors by its folder's name, never by its path on the server", async () => {
    const message = (p: Promise<unknown>) =>
      p.then(
        () => '',
        (e: Error) => e.message,
      );
    const missing = open(path.join(repo.dir, 'not-yet'));
    const messages = [await message(missing.compare('main', 'main'))];
    const base = repo.commit({ 'a.yaml': 'a\n' }, 'one');
    const repository = open(repo.dir);
    messages.push(
      await message(repository.compare(base, 'ab'.repeat(20))),
      await message(repository.compare(base, 'release')),
    );
    expect(messages).toEqual([
      'GitOps repository not-yet does not exist yet; it is created when the first environment is published',
      expect.stringContaining(
        `is not in the GitOps repository ${path.basename(repo.dir)}:`,
      ),
      `release does not exist in the GitOps repository ${path.basename(
        repo.dir,
      )}`,
    ]);
    expect(messages.join('\n')).not.toContain(repo.dir);
  });

  it('reads only what is committed, never the working tree', async () => {
    const sha = repo.commit({ 'a.yaml': 'committed\n' }, 'one');
    fs.writeFileSync(path.join(repo.dir, 'a.yaml'), 'edited\n');
    fs.writeFileSync(path.join(repo.dir, 'b.yaml'), 'untracked\n');
    const repository = open(repo.dir);
    expect(await repository.readFiles(sha)).toEqual({
      'a.yaml': 'committed\n',
    });
  });

  it('reports the branch of an environment as its change, and says why a commit cannot be compared', async () => {
    const base = repo.commit({ 'a.yaml': 'a\n' }, 'one');
    repo.git('checkout', '-q', '-b', 'epicshelter/dev');
    const proposed = repo.commit({ 'b.yaml': 'b\n' }, 'two');
    const repository = open(repo.dir);
    expect(await repository.findChange('epicshelter/dev')).toEqual({
      kind: 'branch',
      branch: 'epicshelter/dev',
      sha: proposed,
      at: expect.any(String),
    });
    expect(await repository.findChange('epicshelter/qa')).toBeUndefined();
    expect(repository.commitUrl(base)).toBeUndefined();
    const invented = 'ab'.repeat(20);
    await expect(repository.compare(base, invented)).rejects.toThrow(
      `Commit ${invented} is not in the GitOps repository ${path.basename(
        repo.dir,
      )}: Argo CD deploys from another repository, or from history this copy does not have`,
    );
  });
});
