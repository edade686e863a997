import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { generateEnvironment } from '../generator';
import { CLOUD_PROVIDERS, PROVIDER_REGIONS } from '../offerings';
import { renderPlatform } from '../platform';
import { parseEnvironmentSpec } from '../spec';
import { yamlValue } from '../__testUtils__/yamlValues';
import {
  parseYamlDocument,
  readYamlStream,
  readYamlStreamWithYaml,
  readsFast,
} from './yamlStream';

/**
 * The fast reader must read every text exactly as the `yaml` library does
 * (same documents, values, errors and messages): what it hands to js-yaml
 * is compared with `yaml` on the platform, generated environments, known
 * edge cases and random texts.
 */
const CASES = [
  '\n\nc: >+\n  - .inf=\n   b: \n  ',
  "name: '{{metadata.name}}-infrastructure'\n",
  "rule: self.engine != 'postgres'\n",
  '',
  '# only a comment\n',
  '---\n',
  '---\n---\n',
  'a: 1\n---\n',
  '---\na: 1\n---\n',
  'a: 1\n---\n# c\n',
  '---\n---\nkind: A\n',
  '--- \nkind: A\n',
  '--- !!map\na: 1\n',
  'a: 1\n...\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  '? a\n: b\n',
  '~: a\n',
  'null: a\n',
  ': a\n',
  'a: 1\na: 2\n',
  "1: a\n'1': b\n",
  'a: 1_000\n',
  'a: 0o17\n',
  'a: 0x1F\n',
  'a: 017\n',
  'a: +5\n',
  'a: -0\n',
  'a: .5\n',
  'a: 1.\n',
  'a: 1e3\n',
  'a: +.5e3\n',
  'a: .inf\n',
  'a: -.Inf\n',
  'a: .NaN\n',
  'a: .nan\n',
  'a: yes\n',
  'a: True\n',
  'a: tRUE\n',
  'a: Null\n',
  'a: nULL\n',
  'a: ~\n',
  'a:\n',
  "a: ''\n",
  'a: 12345678901234567890\n',
  'a: 0b101\n',
  'a: 1:30\n',
  'a: 2024-01-01\n',
  'a: 2024-01-01T00:00:00Z\n',
  'a: b: c\n',
  'a\nb: c\n',
  'a:\n  b: 1\n c: 2\n',
  'a:\n- b\n- c\n',
  '- a\n- b: c\n  d: e\n',
  'a: |\n  x\n  y\n',
  'a: >-\n  x\n\n  y\n',
  'a: |2\n   x\n',
  'a: |+\n  x\n\n',
  'a: "x\\u00e9\\n"\n',
  'a: "bad \\q"\n',
  "a: 'it''s'\n",
  'a: "multi\n  line"\n',
  'a: plain\n  continued\n',
  'a: x # comment\n',
  'a: "x"# c\n',
  'a: x#y\n',
  'a: [1, 2]\n',
  'a: {b: 1}\n',
  'a: [\n  1, 2\n]\n',
  'a: {b: 1,\nc: 2}\n',
  'a: []\nb: {}\n',
  '[1, 2]\n',
  '- [a, b]\n',
  'a: [b, {c: d}]\n',
  'a: {b: [c]}\n',
  'a: [b,]\n',
  'a: {,}\n',
  'a: @x\n',
  'a: `x\n',
  'a: %x\n',
  'a: -x\n',
  'a: - x\n',
  '- - a\n',
  "a: 'x\n",
  'a: "x\n',
  '  a: 1\n b: 2\n',
  'a:\n  - 1\n  -2\n',
  'key with spaces: v\n',
  '"quoted key": v\n',
  "'k': v\n",
  'a: b\n  c: d\n',
  'a: 1\n\n\n',
  '\n\na: 1\n',
  'a: x\\y\n',
  'a: "\\x41"\n',
  'a: "\\U0001F600"\n',
  '- \n- a\n',
  '-\n  a: 1\n',
  'a: -\n',
  'a: - \n',
  '- -\n',
  'a: |\n\n  x\n',
  'a: >\n x\n  y\n z\n',
  'a:    \n  b\n',
  'a: b\n# c\n---\n# d\n',
  '__proto__: x\n',
  'a:\n  __proto__: {b: 1}\n',
  "a: 'x' y\n",
  'a: "x" y\n',
  'a: x: \n',
  'a: b:c\n',
  'a:b\n',
  'a: http://x\n',
  '- a: 1\n  b: 2\n- c\n',
  'a: [a: 1]\n',
  'a: {a}\n',
  'a: 1 # c\n# d\nb: 2\n',
  'a: >\n\n\n',
  'a: |-\n',
  "a: 'multi\n\n  line'\n",
  'a: \'{"V":"1","S":[{"E":"A","P":{"S":"x"}}]}\'\n',
  "- '[a, {b}]: &x *y !z ? %'\n",
  'a: "x # y {z}"\n',
  "a: '{a}' # c\n",
  "a: '{a}'# c\n",
  "'k{': v\n",
  "a: 'b': '{c}'\n",
  "a: '{x}' '{y}'\n",
  "a: plain\n  '{x}'\n",
  'a: "open\n  \'{x}\'\n  end"\n',
  "a: |\n  '{x}'\n",
  "a: '{x}\n  y}'\n",
  '- - \'[x]\'\n  - "{y}"\n',
  "'[x]'\n",
];

const environments = (): Record<string, string> => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) {
    const cloud = i % 2 === 1;
    const provider = CLOUD_PROVIDERS[i % 3];
    Object.assign(
      files,
      generateEnvironment(
        parseEnvironmentSpec({
          name: `env-${i}`,
          owner: 'group:default/platform',
          target: cloud ? 'cloud' : 'local',
          provider: cloud ? provider : 'local',
          ...(cloud ? { region: PROVIDER_REGIONS[provider][0] } : {}),
          crossplaneApi: i % 4 === 0 ? 'v1' : 'v2',
          workloads: ['orders-api'],
          resources: {
            databases: [{ name: 'db', engine: i % 2 ? 'postgres' : 'mysql' }],
            caches: i % 2 ? [{ name: 'cache' }] : [],
            buckets: [{ name: 'assets', versioning: i % 2 === 0 }],
            ...(cloud ? { kubernetesCluster: { nodeCount: 2 } } : {}),
          },
        }),
      ),
    );
  }
  return files;
};

describe('readYamlStream', () => {
  it('reads the platform and generated environments as yaml does, most of them with js-yaml', () => {
    const files = { ...renderPlatform(), ...environments() };
    for (const [file, text] of Object.entries(files)) {
      expect([file, readYamlStream(text)]).toStrictEqual([
        file,
        readYamlStreamWithYaml(text),
      ]);
    }
    const fast = Object.values(files).filter(readsFast).length;
    expect(fast / Object.keys(files).length).toBeGreaterThan(0.9);
  });

  it('reads every platform file with js-yaml, JSON in quoted strings included (IAM policies)', () => {
    expect(
      Object.entries(renderPlatform())
        .filter(([, text]) => !readsFast(text))
        .map(([file]) => file),
    ).toEqual([]);
  });

  it.each(CASES.map(c => [c]))('reads %j as yaml does', text => {
    expect(readYamlStream(text)).toStrictEqual(readYamlStreamWithYaml(text));
  });

  it('reads random texts of YAML tokens as yaml does', () => {
    const tokens = [
      ...['\n  - ', '\n   - ', '\n- ', '\n  a: ', '\n   b: ', '\nc: '],
      ...['a', 'key', '1', '0x1', '1.5', 'true', 'null', '~', ':', ': '],
      ...[' ', '  ', '\n', '\n  ', '\n    ', '- ', '-', '"', "'", '"x"'],
      ...["'y'", '#', ' #', '|', '|-', '>', '>+', '[', ']', '{', '}', ','],
      ...['---', '\n---\n', '...', '\\', '?', '&', '*', '!', '%', '@', '`'],
      ...['\t', '\r\n', 'é', '=', '<<', '.inf', '-1', '+1', '01', '1e3'],
      ...['{{', '}}', '!=', ' !', ' - ', '::'],
      ...['\'{"a":[{"b":1}]}\'', '"[x, {y}]"', "'&a *b !c'", "' #'"],
    ];
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom(...tokens), { maxLength: 30 })
          .map(t => t.join('')),
        text => {
          expect(readYamlStream(text)).toStrictEqual(
            readYamlStreamWithYaml(text),
          );
        },
      ),
      { numRuns: 5000, seed: 3 },
    );
  });

  it('reads random values written in every yaml style as yaml does', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('kind', 'a b', 'a:b', '1', 'true', '-x'),
    );
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom('a\nb', ' lead', 'x: y', '- z', '#c', "it's", '{a}'),
      fc.constantFrom('1e3', '0x1F', 'null', 'True', '', '~', '---', 'a\tb'),
    );
    const value = yamlValue(text, key);
    const options = fc.record(
      {
        collectionStyle: fc.constantFrom('any', 'block', 'flow'),
        defaultStringType: fc.constantFrom(
          'PLAIN',
          'QUOTE_DOUBLE',
          'QUOTE_SINGLE',
          'BLOCK_LITERAL',
          'BLOCK_FOLDED',
        ),
        lineWidth: fc.constantFrom(0, 20, 80),
        indentSeq: fc.boolean(),
        indent: fc.constantFrom(2, 3, 4),
      } as const,
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 3 }),
        options,
        (docs, o) => {
          const written = docs.map(d => stringify(d, o)).join('---\n');
          expect(readYamlStream(written)).toStrictEqual(
            readYamlStreamWithYaml(written),
          );
        },
      ),
      { numRuns: 3000, seed: 1 },
    );
  });
});

describe('parseYamlDocument', () => {
  it('returns what yaml.parse returns, and throws what it throws', () => {
    for (const text of ['', 'a: 1\n', '- op: add\n  path: /x\n', '~\n']) {
      expect(parseYamlDocument(text)).toStrictEqual(parse(text));
    }
    for (const text of ['a: 1\n---\nb: 2\n', 'a: [\n', 'a: 1\na: 2\n']) {
      expect(() => parse(text)).toThrow();
      expect(() => parseYamlDocument(text)).toThrow(
        (() => {
          try {
            parse(text);
          } catch (e) {
            return (e as Error).message;
          }
          return '';
        })(),
      );
    }
  });
});
