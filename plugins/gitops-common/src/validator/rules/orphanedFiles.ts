import { ENVIRONMENTS_DIR, ENVIRONMENT_FILE_NAME } from '../../constants';
import { basenameOf, dirnameOf, resolveRepoPath } from '../../paths';
import type { ValidationIssue } from '../validateRepository';
import type { RepositoryRule } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const KUSTOMIZATIONS = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];
/** Files under environments/ that kustomize does not read by design. */
const NOT_KUSTOMIZED = new Set([
  ENVIRONMENT_FILE_NAME,
  '.gitkeep',
  'README.md',
]);

/** Paths a kustomization reads: resources, patches, components, generator files. */
function referencedBy(k: Obj): string[] {
  const paths: unknown[] = [];
  for (const field of [
    'resources',
    'bases',
    'components',
    'crds',
    'patchesStrategicMerge',
    'generators',
    'transformers',
    'validators',
  ]) {
    if (Array.isArray(k[field])) paths.push(...k[field]);
  }
  for (const field of ['patches', 'patchesJson6902', 'replacements']) {
    if (Array.isArray(k[field]))
      paths.push(...k[field].map(p => (isObj(p) ? p.path : undefined)));
  }
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    for (const g of Array.isArray(k[field]) ? k[field] : []) {
      if (!isObj(g)) continue;
      for (const f of [
        ...(Array.isArray(g.files) ? g.files : []),
        ...(Array.isArray(g.envs) ? g.envs : []),
        g.env,
      ]) {
        if (typeof f === 'string')
          paths.push(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
      }
    }
  }
  return paths.filter((p): p is string => typeof p === 'string');
}

/**
 * Files under environments/ that no kustomization reads are orphans: Argo CD
 * never applies them, so a claim left there (for example by a lost
 * concurrent write) silently does nothing. Kustomization files themselves
 * and the environment spec (environment.yaml) are exempt.
 */
export const orphanedFilesRule: RepositoryRule = {
  id: 'orphaned-files',
  description: 'Every file under environments/ is read by some kustomization',
  check({ files, documents }) {
    const referenced = new Set<string>();
    for (const doc of documents) {
      if (!KUSTOMIZATIONS.includes(basenameOf(doc.file)) || !isObj(doc.value))
        continue;
      const dir = dirnameOf(doc.file);
      for (const ref of referencedBy(doc.value)) {
        const resolved = resolveRepoPath(dir, ref);
        if (resolved !== undefined) referenced.add(resolved);
      }
    }
    const issues: ValidationIssue[] = [];
    for (const file of Object.keys(files).sort()) {
      if (!file.startsWith(`${ENVIRONMENTS_DIR}/`)) continue;
      const name = basenameOf(file);
      if (
        KUSTOMIZATIONS.includes(name) ||
        NOT_KUSTOMIZED.has(name) ||
        referenced.has(file)
      )
        continue;
      issues.push({
        file,
        documentIndex: -1,
        path: '$',
        message: `no kustomization references this file, so Argo CD never applies it; add it to ${dirnameOf(
          file,
        )}/kustomization.yaml or delete it`,
      });
    }
    return issues;
  },
};
