import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import type { PreparerBase } from '@backstage/plugin-techdocs-node';
import { CopyingDirectoryPreparer } from './CopyingDirectoryPreparer';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plugin-x', uid: 'u1' },
};

async function write(root: string, files: Record<string, string>) {
  for (const [file, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fs.writeFile(path.join(root, file), content);
  }
}

async function list(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter(e => e.isFile())
    .map(e => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

describe('CopyingDirectoryPreparer', () => {
  let tmp: string;
  let source: string;
  let work: string;
  const inner = (dir: string): PreparerBase => ({
    prepare: jest.fn(async () => ({ preparedDir: dir, etag: '' })),
    shouldCleanPreparedDirectory: () => false,
  });

  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'copying-preparer-'));
    source = path.join(tmp, 'source');
    work = path.join(tmp, 'work');
    await fs.mkdir(work);
  });
  afterEach(() => fs.rm(tmp, { recursive: true, force: true }));

  it('hands the generator a copy of mkdocs.yml, the docs folder and README.md only', async () => {
    await write(source, {
      'mkdocs.yml': 'site_name: X\nnav:\n  - Home: index.md\n',
      'docs/index.md': '# X',
      'docs/img/a.png': 'png',
      'README.md': '# readme',
      'src/plugin.ts': 'code',
      'node_modules/dep/index.js': 'dep',
    });
    const preparer = new CopyingDirectoryPreparer(inner(source), work);

    const { preparedDir, etag } = await preparer.prepare(entity);

    expect(path.dirname(preparedDir)).toBe(work);
    expect(etag).toMatch(/^[0-9a-f]{64}$/);
    expect(await list(preparedDir)).toEqual([
      'README.md',
      'docs/img/a.png',
      'docs/index.md',
      'mkdocs.yml',
    ]);
    expect(preparer.shouldCleanPreparedDirectory()).toBe(true);
    // the generator rewrites the copy's mkdocs.yml; the source stays as it was
    await fs.writeFile(path.join(preparedDir, 'mkdocs.yml'), 'patched');
    expect(await fs.readFile(path.join(source, 'mkdocs.yml'), 'utf8')).toBe(
      'site_name: X\nnav:\n  - Home: index.md\n',
    );
  });

  it('answers NotModifiedError when the source is unchanged since the published etag, and a new etag after a change', async () => {
    await write(source, {
      'mkdocs.yml': 'site_name: X\n',
      'docs/index.md': '# X',
      'src/plugin.ts': 'code',
    });
    const preparer = new CopyingDirectoryPreparer(inner(source), work);
    const first = await preparer.prepare(entity);
    await fs.rm(first.preparedDir, { recursive: true });

    await write(source, { 'src/plugin.ts': 'other code' });
    await expect(
      preparer.prepare(entity, { etag: first.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    expect(await fs.readdir(work)).toEqual([]);

    await write(source, { 'docs/index.md': '# Y' });
    const second = await preparer.prepare(entity, { etag: first.etag });
    expect(second.etag).not.toBe(first.etag);
    expect(
      await fs.readFile(path.join(second.preparedDir, 'docs/index.md'), 'utf8'),
    ).toBe('# Y');
  });

  it('copies the docs_dir that mkdocs.yml names', async () => {
    await write(source, {
      'mkdocs.yml': 'site_name: X\ndocs_dir: guide\n',
      'guide/index.md': '# X',
      'docs/other.md': 'not the docs',
    });
    const { preparedDir } = await new CopyingDirectoryPreparer(
      inner(source),
      work,
    ).prepare(entity);
    expect(await list(preparedDir)).toEqual(['guide/index.md', 'mkdocs.yml']);
  });

  it('refuses a docs_dir outside the source folder and leaves no copy behind', async () => {
    await write(source, {
      'mkdocs.yml': 'site_name: X\ndocs_dir: ../secrets\n',
    });
    await write(tmp, { 'secrets/key.md': 'secret' });
    await expect(
      new CopyingDirectoryPreparer(inner(source), work).prepare(entity),
    ).rejects.toThrow(/outside/i);
    expect(await fs.readdir(work)).toEqual([]);
  });

  it('passes on the wrapped preparer’s errors', async () => {
    const failing: PreparerBase = {
      prepare: async () => {
        throw new Error('Unable to resolve location type');
      },
      shouldCleanPreparedDirectory: () => false,
    };
    await expect(
      new CopyingDirectoryPreparer(failing, work).prepare(entity),
    ).rejects.toThrow('Unable to resolve location type');
    expect(await fs.readdir(work)).toEqual([]);
  });
});
