import { spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  DirectoryPreparer,
  TechdocsGenerator,
} from '@backstage/plugin-techdocs-node';
import { parse, parseAllDocuments } from 'yaml';
import { CopyingDirectoryPreparer } from './CopyingDirectoryPreparer';

/**
 * The docs sites of this repository, as the portal builds them: every
 * `backstage.io/techdocs-ref` of the root catalog-info.yaml names a folder
 * with an mkdocs.yml whose pages exist, every `backstage.io/techdocs-entity`
 * names an entity that has docs, and (where mkdocs is installed, as
 * ./epicshelter test does) each site builds with app-config.yaml's techdocs
 * settings through the same preparer and generator as the backend, without
 * touching the checkout.
 */
const root = path.resolve(__dirname, '../../../../..');
const TECHDOCS_REF = 'backstage.io/techdocs-ref';
const TECHDOCS_ENTITY = 'backstage.io/techdocs-entity';
/** mkdocs.yml keys used here; all are on TechDocs' allow-list. */
const KEYS = [
  'site_name',
  'site_description',
  'nav',
  'theme',
  'plugins',
  'markdown_extensions',
];

const catalogFile = path.join(root, 'catalog-info.yaml');
const entities: Entity[] = parseAllDocuments(
  readFileSync(catalogFile, 'utf8'),
).map(d => d.toJS());
const documented = entities.filter(e => e.metadata.annotations?.[TECHDOCS_REF]);
const sites = documented.map(e => ({
  ref: `${e.kind}:${e.metadata.name}`,
  entity: e,
  dir: path.join(
    root,
    e.metadata.annotations![TECHDOCS_REF].replace(/^dir:/, ''),
  ),
}));

function navFiles(nav: unknown): string[] {
  if (typeof nav === 'string') return [nav];
  if (Array.isArray(nav)) return nav.flatMap(navFiles);
  if (nav && typeof nav === 'object')
    return Object.values(nav).flatMap(navFiles);
  return [];
}

const hasMkdocs = spawnSync('mkdocs', ['--version']).status === 0;

describe('docs sites', () => {
  it('every plugin family and the GitOps blueprint have a site', () => {
    expect(sites.map(s => path.relative(root, s.dir)).sort()).toEqual([
      'plugins/argocd',
      'plugins/catalog-backend-module-gitops',
      'plugins/crossplane',
      'plugins/environments',
      'plugins/permission-backend-module-policy',
      'plugins/scaffolder-backend-module-gitops',
      'templates/gitops-repository',
    ]);
  });

  it.each(sites)(
    '$ref: mkdocs.yml uses only kept keys, the material theme and search, and its pages exist',
    async ({ dir }) => {
      const mkdocs = parse(
        await fs.readFile(path.join(dir, 'mkdocs.yml'), 'utf8'),
      );
      expect(KEYS).toEqual(expect.arrayContaining(Object.keys(mkdocs)));
      expect(mkdocs.theme).toEqual({ name: 'material', font: false });
      expect(mkdocs.plugins).toContain('search');
      const pages = navFiles(mkdocs.nav);
      expect(pages).toContain('index.md');
      for (const page of pages) {
        await expect(fs.access(path.join(dir, 'docs', page))).resolves.toBe(
          undefined,
        );
      }
    },
  );

  it('every techdocs-entity annotation names an entity with docs', () => {
    const withDocs = new Set(
      documented.map(
        e => `${e.kind.toLocaleLowerCase('en-US')}:default/${e.metadata.name}`,
      ),
    );
    const pointers = entities.filter(
      e => e.metadata.annotations?.[TECHDOCS_ENTITY],
    );
    expect(pointers.length).toBeGreaterThan(0);
    for (const e of pointers) {
      expect(withDocs).toContain(e.metadata.annotations![TECHDOCS_ENTITY]);
    }
  });

  (hasMkdocs ? describe : describe.skip)('built with the local mkdocs', () => {
    const appConfig = parse(
      readFileSync(path.join(root, 'app-config.yaml'), 'utf8'),
    );
    const config = new ConfigReader({ techdocs: appConfig.techdocs });
    const logger = mockServices.logger.mock();
    type GeneratorLogger = Parameters<TechdocsGenerator['run']>[0]['logger'];
    let work: string;

    beforeAll(async () => {
      work = await fs.mkdtemp(path.join(os.tmpdir(), 'docs-sites-'));
    });
    afterAll(() => fs.rm(work, { recursive: true, force: true }));

    it.each(sites)(
      '$ref builds with search and leaves the checkout untouched',
      async ({ entity, dir }) => {
        const before = await fs.readFile(path.join(dir, 'mkdocs.yml'), 'utf8');
        const preparer = new CopyingDirectoryPreparer(
          DirectoryPreparer.fromConfig(config, {
            logger,
            reader: mockServices.urlReader.mock(),
          }),
          work,
        );
        const located: Entity = {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: {
              ...entity.metadata.annotations,
              'backstage.io/managed-by-location': `file:${catalogFile}`,
            },
          },
        };
        const { preparedDir } = await preparer.prepare(located);
        const outputDir = await fs.mkdtemp(path.join(work, 'out-'));

        await TechdocsGenerator.fromConfig(config, { logger }).run({
          inputDir: preparedDir,
          outputDir,
          logger: logger as unknown as GeneratorLogger,
        });

        const index = JSON.parse(
          await fs.readFile(
            path.join(outputDir, 'search', 'search_index.json'),
            'utf8',
          ),
        );
        expect(index.docs.length).toBeGreaterThan(1);
        await expect(
          fs.access(path.join(outputDir, 'index.html')),
        ).resolves.toBe(undefined);
        expect(await fs.readFile(path.join(dir, 'mkdocs.yml'), 'utf8')).toBe(
          before,
        );
      },
      60_000,
    );
  });
});
