import fs from 'node:fs';
import path from 'node:path';
import {
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_CROSSPLANE_NAMESPACE,
  ANNOTATION_CROSSPLANE_SELECTOR,
  ANNOTATION_GITOPS_BRANCH,
  ANNOTATION_GITOPS_PATH,
  ANNOTATION_GITOPS_REPOSITORY,
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  LABEL_PROVIDER,
  LABEL_RESOURCE,
  LABEL_TARGET,
} from './entity';

/** Keys of the shared vocabulary, declared once in `src/entity.ts`. */
const VOCABULARY = [
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_CROSSPLANE_NAMESPACE,
  ANNOTATION_CROSSPLANE_SELECTOR,
  ANNOTATION_GITOPS_BRANCH,
  ANNOTATION_GITOPS_PATH,
  ANNOTATION_GITOPS_REPOSITORY,
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  LABEL_PROVIDER,
  LABEL_RESOURCE,
  LABEL_TARGET,
];

const repoRoot = path.resolve(__dirname, '../../..');
const owner = path.join(repoRoot, 'plugins/environments-common/src/entity.ts');

/** Production sources of every package: tests, fixtures and test utilities may spell keys out. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) {
      return e.name === 'node_modules' || e.name.startsWith('__')
        ? []
        : sourceFiles(file);
    }
    return /\.tsx?$/.test(e.name) && !/(\.test|fixtures)\.tsx?$/.test(e.name)
      ? [file]
      : [];
  });
}

function packageSources(): string[] {
  return ['plugins', 'packages'].flatMap(group =>
    fs
      .readdirSync(path.join(repoRoot, group))
      .map(name => path.join(repoRoot, group, name, 'src'))
      .filter(src => fs.existsSync(src))
      .flatMap(sourceFiles),
  );
}

describe('vocabulary', () => {
  it('declares each shared annotation and label key once', () => {
    expect(new Set(VOCABULARY).size).toBe(VOCABULARY.length);
    const owned = fs.readFileSync(owner, 'utf8');
    for (const key of VOCABULARY) {
      expect(owned.split(`'${key}'`).length - 1).toBe(1);
    }
  });

  it('is imported, never spelled out, by the other packages', () => {
    const files = packageSources();
    expect(files.length).toBeGreaterThan(100);
    const redeclared = files
      .filter(file => file !== owner)
      .flatMap(file => {
        const text = fs.readFileSync(file, 'utf8');
        return VOCABULARY.filter(
          key => text.includes(`'${key}'`) || text.includes(`"${key}"`),
        ).map(key => `${path.relative(repoRoot, file)}: '${key}'`);
      });
    expect(redeclared).toEqual([]);
  });
});
