import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTreeFromDir, resolveInside, writeFiles } from './fs';

describe('fs helpers', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gitops-fs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes and reads a tree', async () => {
    await writeFiles(dir, { 'a/b.yaml': 'x: 1\n', 'c.txt': 'hi' });
    expect(await readTreeFromDir(dir)).toEqual({
      'a/b.yaml': 'x: 1\n',
      'c.txt': 'hi',
    });
  });

  it.each(['../x', 'a/../../x', '/etc/passwd', '', 'a/\0b'])(
    'refuses %j and writes nothing',
    async bad => {
      await expect(
        writeFiles(dir, { 'ok.yaml': 'x', [bad]: 'y' }),
      ).rejects.toThrow(/Refusing to write/);
      expect(existsSync(path.join(dir, 'ok.yaml'))).toBe(false);
    },
  );

  it('resolves inside the directory', () => {
    expect(resolveInside(dir, 'a/./b/../c.yaml')).toBe(
      path.join(dir, 'a', 'c.yaml'),
    );
    expect(readFileSync.length).toBeGreaterThan(0);
  });
});
