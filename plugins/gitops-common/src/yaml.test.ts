import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { generateEnvironment } from './generator';
import {
  CLOUD_PROVIDERS,
  PROVIDER_REGIONS,
  SIZES,
  databaseVersions,
  offeredDatabaseEngines,
} from './offerings';
import { renderPlatform } from './platform';
import { parseEnvironmentSpec } from './spec';
import { toYaml, toYamlWithYaml, writeBlockYaml } from './yaml';
import { yamlValue } from './__testUtils__/yamlValues';

/**
 * toYaml writes plain data itself: its output must be byte-identical to
 * what the `yaml` library writes with the same options, for every file the
 * platform and the generator write and for random values.
 */
const documentsOf = (text: string) =>
  parseAllDocuments(text).map(d => d.toJS() as unknown);

/** Random environment specs the spec accepts, seeded (descriptions and overrides included). */
const specArbitrary = fc
  .record({
    i: fc.nat(1000),
    cloud: fc.boolean(),
    provider: fc.constantFrom(...CLOUD_PROVIDERS),
    region: fc.nat(4),
    v1: fc.boolean(),
    description: fc.option(
      fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom('it\'s "x"', 'a: b', '# c', 'x\ny', 'é', '- z', '1e3'),
      ),
      { nil: undefined },
    ),
    workloads: fc.subarray(['orders-api', 'storefront', 'x1', 'true']),
    replicas: fc.option(fc.nat(50), { nil: undefined }),
    imageTag: fc.option(fc.constantFrom('1.2.3', 'latest', '1e3', '0x1F'), {
      nil: undefined,
    }),
    databases: fc.nat(2),
    caches: fc.nat(2),
    buckets: fc.nat(2),
    versioning: fc.boolean(),
    size: fc.constantFrom(...SIZES),
    nodeCount: fc.integer({ min: 1, max: 5 }),
  })
  .map(r => {
    const provider = r.cloud ? r.provider : 'local';
    const engines = offeredDatabaseEngines(provider);
    const engine = engines[r.i % engines.length];
    return {
      name: `env-${r.i}`,
      owner: 'group:default/platform',
      ...(r.description !== undefined ? { description: r.description } : {}),
      target: r.cloud ? 'cloud' : 'local',
      provider,
      ...(r.cloud ? { region: PROVIDER_REGIONS[r.provider][r.region] } : {}),
      crossplaneApi: r.v1 ? 'v1' : 'v2',
      workloads: r.workloads,
      ...(r.workloads.length > 0 && (r.replicas ?? r.imageTag) !== undefined
        ? {
            workloadOverrides: {
              [r.workloads[0]]: {
                ...(r.replicas !== undefined ? { replicas: r.replicas } : {}),
                ...(r.imageTag ? { imageTag: r.imageTag } : {}),
              },
            },
          }
        : {}),
      resources: {
        databases: Array.from({ length: r.databases }, (_, k) => ({
          name: `db${k}`,
          engine,
          version: databaseVersions(engine)[k % 2],
          size: r.size,
        })),
        caches: Array.from({ length: r.caches }, (_, k) => ({
          name: `cache${k}`,
        })),
        buckets: Array.from({ length: r.buckets }, (_, k) => ({
          name: `bucket${k}`,
          versioning: r.versioning,
        })),
        ...(r.cloud ? { kubernetesCluster: { nodeCount: r.nodeCount } } : {}),
      },
    };
  });

describe('toYaml', () => {
  it('writes every platform file byte for byte as yaml does, most of them itself', () => {
    let fast = 0;
    let all = 0;
    for (const [file, text] of Object.entries(renderPlatform())) {
      for (const value of documentsOf(text)) {
        expect([file, toYaml(value)]).toEqual([file, toYamlWithYaml(value)]);
        all++;
        if (writeBlockYaml(value) !== undefined) fast++;
      }
    }
    expect(fast / all).toBeGreaterThan(0.9);
  });

  it('writes every file of random environments byte for byte as yaml does, itself unless a description needs yaml', () => {
    fc.assert(
      fc.property(specArbitrary, input => {
        const files = generateEnvironment(parseEnvironmentSpec(input));
        for (const [file, text] of Object.entries(files)) {
          for (const value of documentsOf(text)) {
            expect([file, toYaml(value)]).toEqual([
              file,
              toYamlWithYaml(value),
            ]);
          }
        }
        // Written without yaml: all but an environment.yaml with a description.
        const fast = Object.entries(files).filter(
          ([file]) =>
            !('description' in input && file.endsWith('environment.yaml')),
        );
        for (const [file, text] of fast) {
          const [value] = documentsOf(text);
          expect([file, writeBlockYaml(value)]).toEqual([
            file,
            toYamlWithYaml(value),
          ]);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('writes random values byte for byte as yaml does', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom(
        ...['', ' ', 'a b', 'a: b', 'a:b', 'a #b', 'a#b', '#a', '- a', '-a'],
        ...['?', '? a', ':', 'a:', '&a', '*a', '!a', '%a', '@a', '`a', '|'],
        ...['>', "'", '"', "it's", 'say "hi"', 'both \'"', '\\', "'\\'", '{'],
        ...['[a]', 'a,b', 'true', 'False', 'NULL', '~', 'null', '1', '-1'],
        ...['+1', '0o17', '0x1F', '1.5', '.5', '1e3', '.inf', '.NaN', '1_0'],
        ...['---', '--- a', '...', 'a\nb', 'a\n', ' a', 'a ', 'a\tb', 'é'],
        ...['x'.repeat(1001), 'yes', 'on', '2024-01-01', '0b1', '1:30'],
        ...['a\n\nb\n', '- op: x\n  path: y\n', 'x \ny', '  lead\n', 'a\n\n'],
        ...['\nfirst', '%a\nb\n', 'a\n---\nb', 'a\n...\n', 'a\n \nb', 'a:\n'],
        ...['#x\ny', "'q'\n", 'a\r\nb', 'a\n\tb', 'tail\n ', 'é\n'],
      ),
    );
    fc.assert(
      fc.property(yamlValue(text), v => {
        expect(toYaml(v)).toBe(toYamlWithYaml(v));
      }),
      { numRuns: 20000, seed: 5 },
    );
  });
});
