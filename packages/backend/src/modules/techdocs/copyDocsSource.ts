import { promises as fs } from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { parse } from 'yaml';

const MKDOCS_FILES = ['mkdocs.yml', 'mkdocs.yaml'];

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/** The `docs_dir` an mkdocs.yml names (MkDocs' default: `docs`). */
export function docsDirOf(mkdocsYml: string): string {
  const parsed: unknown = parse(mkdocsYml);
  if (parsed && typeof parsed === 'object' && 'docs_dir' in parsed) {
    const value = (parsed as { docs_dir: unknown }).docs_dir;
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return 'docs';
}

/**
 * Copies what MkDocs reads from a docs source folder (mkdocs.yml or
 * mkdocs.yaml, the `docs_dir` it names, and README.md) into `target`, and
 * nothing else: a package folder's `src/` and `node_modules/` stay behind.
 * Files of the docs folder that point outside the source folder are refused.
 */
export async function copyDocsSource(
  source: string,
  target: string,
): Promise<void> {
  let docsDir = 'docs';
  for (const name of MKDOCS_FILES) {
    const file = path.join(source, name);
    if (await exists(file)) {
      await fs.copyFile(file, path.join(target, name));
      docsDir = docsDirOf(await fs.readFile(file, 'utf8'));
    }
  }
  const from = resolveSafeChildPath(source, docsDir);
  if (await exists(from)) {
    await fs.cp(from, resolveSafeChildPath(target, docsDir), {
      recursive: true,
      dereference: true,
    });
  }
  const readme = path.join(source, 'README.md');
  if (await exists(readme)) {
    await fs.copyFile(readme, path.join(target, 'README.md'));
  }
}
