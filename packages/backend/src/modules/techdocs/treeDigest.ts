import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * A digest of a folder's files: their paths relative to `root` and their
 * contents, in path order. Equal digests mean an equal docs source.
 */
export async function treeDigest(root: string): Promise<string> {
  const entries = await fs.readdir(root, {
    recursive: true,
    withFileTypes: true,
  });
  const files = entries
    .filter(e => e.isFile())
    .map(e => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const content = await fs.readFile(path.join(root, file));
    hash.update(`${file.split(path.sep).join('/')}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}
