import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {
  EnvironmentSpecError,
  environmentDir,
  generateEnvironment,
  parseEnvironmentSpec,
  safeParseEnvironmentSpec,
  validateRepository,
} from '@epicshelter/plugin-gitops-common';
import { loadBlueprint } from './blueprint';
import { writeFiles } from './fs';
import { validSpecArb } from './__testUtils__/arbitraries';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

const kubectl = spawnSync('kubectl', ['version', '--client'], {
  encoding: 'utf8',
});
const hasKubectl = kubectl.status === 0;

describe('generator properties', () => {
  let blueprint: Record<string, string>;
  beforeAll(async () => {
    blueprint = await loadBlueprint(
      path.join(repoRoot, 'templates', 'gitops-repository'),
    );
  });

  it('valid specs produce valid, deterministic files inside the environment directory', () => {
    fc.assert(
      fc.property(validSpecArb, input => {
        const spec = parseEnvironmentSpec(input);
        const files = generateEnvironment(spec);
        const dir = `${environmentDir(spec.name)}/`;
        expect(
          Object.keys(files).every(f => f.startsWith(dir) && !f.includes('..')),
        ).toBe(true);
        expect(generateEnvironment(parseEnvironmentSpec(input))).toEqual(files);
        const result = validateRepository({ ...blueprint, ...files });
        expect(result.issues).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  (hasKubectl ? it : it.skip)(
    'each overlay builds with kubectl kustomize',
    async () => {
      const samples = fc.sample(validSpecArb, { numRuns: 3, seed: 42 });
      const builds: Array<{
        overlay: string;
        status: number | null;
        stderr: string;
      }> = [];
      const namespaced: boolean[] = [];
      for (const input of samples) {
        const tmp = mkdtempSync(path.join(os.tmpdir(), 'gitops-prop-'));
        try {
          const spec = parseEnvironmentSpec(input);
          await writeFiles(tmp, { ...blueprint, ...generateEnvironment(spec) });
          for (const overlay of ['workloads', 'infrastructure']) {
            const r = spawnSync(
              'kubectl',
              ['kustomize', path.join(tmp, environmentDir(spec.name), overlay)],
              { encoding: 'utf8' },
            );
            builds.push({ overlay, status: r.status, stderr: r.stderr });
            if (overlay === 'workloads' && spec.workloads.length > 0) {
              namespaced.push(r.stdout.includes(`namespace: ${spec.name}`));
            }
          }
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      }
      // eslint-disable-next-line jest/no-standalone-expect
      expect(builds).toEqual(
        builds.map(b => ({ ...b, status: 0, stderr: '' })),
      );
      // eslint-disable-next-line jest/no-standalone-expect
      expect(namespaced.every(Boolean)).toBe(true);
    },
    60_000,
  );

  if (!hasKubectl) {
    it.todo(
      `kubectl kustomize builds are skipped: kubectl is not installed (${
        kubectl.error?.message ?? kubectl.stderr
      })`,
    );
  }

  it('invalid specs give an error naming a field and no files', () => {
    const mutation = fc.oneof(
      fc
        .string({ minLength: 1, maxLength: 60 })
        .filter(s => !/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(s))
        .map(name => ({ name })),
      fc
        .string()
        .filter(s => !['local', 'aws', 'gcp', 'azure'].includes(s))
        .map(provider => ({ provider })),
      fc
        .constantFrom('mars-1', 'EU', '', 'us-east-1\n')
        .map(region => ({ target: 'cloud', provider: 'gcp', region })),
      fc.constant({ target: 'cloud', provider: 'local' }),
      fc.constantFrom('5.7', '18', '', 'latest').map(version => ({
        resources: { databases: [{ name: 'db', engine: 'mysql', version }] },
      })),
      fc.constant({ owner: 'group:a:b' }),
    );
    fc.assert(
      fc.property(validSpecArb, mutation, (input, m) => {
        const bad = { ...input, ...m };
        const r = safeParseEnvironmentSpec(bad);
        expect(r.success).toBe(false);
        expect(r.issues.every(i => /^spec(\.|\[|$)/.test(i.path))).toBe(true);
        let files: Record<string, string> | undefined;
        expect(() => {
          files = generateEnvironment(bad as never);
        }).toThrow(EnvironmentSpecError);
        expect(files).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
