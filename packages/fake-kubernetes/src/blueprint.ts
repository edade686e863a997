import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './types';

const APIS = path.join('templates', 'gitops-repository', 'platform', 'apis');

/**
 * Directory of the platform API blueprint (XRDs and Compositions) in this
 * repository, found by walking up from `from` (default: the working directory).
 * @public
 */
export function findPlatformApisDir(from = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, APIS);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `Cannot find ${APIS} above ${from}; the fake serves the blueprint XRDs and Compositions of the repository`,
      );
    }
    dir = parent;
  }
}

/**
 * The blueprint's XRDs (v2 namespaced and v1 legacy with claims) and
 * Compositions, as the platform would install them.
 * @public
 */
export function blueprintPlatformObjects(
  dir = findPlatformApisDir(),
): KubeObject[] {
  const out: KubeObject[] = [];
  const walk = (d: string) => {
    for (const e of fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        for (const doc of parseAllDocuments(fs.readFileSync(p, 'utf8'))) {
          const o = doc.toJS() as KubeObject | null;
          if (
            o?.kind === 'CompositeResourceDefinition' ||
            o?.kind === 'Composition'
          ) {
            out.push(o);
          }
        }
      }
    }
  };
  walk(dir);
  return out;
}
