import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { NotFoundError } from '@backstage/errors';
import { readTreeFromDir } from './fs';

/** Path of the blueprint inside the Epicshelter repository. @public */
export const BLUEPRINT_RELATIVE_DIR = 'templates/gitops-repository';

function candidates(): string[] {
  // The blueprint is read from the source checkout (CLI, tests, dev
  // backend), never from a built bundle, so __dirname is the right anchor.
  // eslint-disable-next-line no-restricted-syntax
  const starts = [process.cwd(), __dirname];
  const out: string[] = [];
  for (const start of starts) {
    let dir = path.resolve(start);
    for (;;) {
      out.push(path.join(dir, BLUEPRINT_RELATIVE_DIR));
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return out;
}

/**
 * Finds the blueprint folder: `dir` if given, else `EPICSHELTER_BLUEPRINT_DIR`,
 * else `templates/gitops-repository` in the nearest ancestor of the working
 * directory or of this package.
 * @public
 */
export function findBlueprintDir(dir?: string): string {
  const explicit = dir ?? process.env.EPICSHELTER_BLUEPRINT_DIR;
  if (explicit) {
    const resolved = path.resolve(explicit);
    if (!existsSync(resolved)) {
      throw new NotFoundError(`Blueprint folder ${resolved} does not exist`);
    }
    return resolved;
  }
  for (const c of candidates()) {
    if (existsSync(path.join(c, 'platform'))) return c;
  }
  throw new NotFoundError(
    `Cannot find ${BLUEPRINT_RELATIVE_DIR} above ${process.cwd()} or this package; pass the folder explicitly or set EPICSHELTER_BLUEPRINT_DIR`,
  );
}

/**
 * Reads the GitOps repository blueprint (templates/gitops-repository) as a
 * file map, without placeholder files such as `.gitkeep` content changes.
 * @public
 */
export async function loadBlueprint(
  dir?: string,
): Promise<Record<string, string>> {
  const root = findBlueprintDir(dir);
  await fs.access(root);
  return readTreeFromDir(root);
}
