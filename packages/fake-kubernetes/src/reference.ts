import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './types';

/**
 * The package's `reference/` folder (see its PROVENANCE.md). The fake runs
 * from source (tests, benchmarks, the sandbox CLI), never from a bundle.
 */
// eslint-disable-next-line no-restricted-syntax
const REFERENCE_DIR = path.resolve(__dirname, '..', 'reference');

/**
 * The objects of a vendored reference file (`reference/<file>`, e.g.
 * `recorded/crossplane-mr-namespaced-synced-false.yaml`), every YAML
 * document of it, fresh copies on each call.
 * @public
 */
export function referenceObjects(file: string): KubeObject[] {
  const text = fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8');
  return parseAllDocuments(text)
    .map(d => d.toJS() as KubeObject)
    .filter(Boolean);
}

/** The one object of a vendored reference file. @public */
export function referenceObject(file: string): KubeObject {
  const [obj] = referenceObjects(file);
  if (!obj) throw new Error(`reference/${file} holds no object`);
  return obj;
}
