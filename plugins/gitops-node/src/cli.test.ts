import {
  readFileSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './cli';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) },
  };
}

describe('gitops CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gitops-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('inits, renders and validates a repository', async () => {
    const repo = path.join(dir, 'repo');
    const a = io();
    expect(
      await runCli(
        [
          'init',
          '--out',
          repo,
          '--blueprint',
          path.join(repoRoot, 'templates/gitops-repository'),
        ],
        a.io,
      ),
    ).toBe(0);
    const spec = path.join(dir, 'env.yaml');
    writeFileSync(
      spec,
      'apiVersion: epicshelter.io/v1alpha1\nkind: Environment\nmetadata: {name: dev}\nspec:\n  name: dev\n  owner: user:a\n  target: local\n  provider: local\n  workloads: [storefront]\n',
    );
    const b = io();
    expect(await runCli(['render', '--spec', spec, '--out', repo], b.io)).toBe(
      0,
    );
    expect(b.out).toContain(
      `wrote ${path.join(repo, 'environments/dev/environment.yaml')}`,
    );
    const c = io();
    expect(await runCli(['validate', repo], c.io)).toBe(0);

    // The same environment again: refused, naming the field.
    const d = io();
    expect(await runCli(['render', '--spec', spec, '--out', repo], d.io)).toBe(
      1,
    );
    expect(d.err.join('\n')).toMatch(
      /spec.name: environment "dev" already exists/,
    );

    // Break the repository: validate exits non-zero with file, document and path.
    rmSync(path.join(repo, 'environments/dev/infrastructure/namespace.yaml'));
    const e = io();
    expect(await runCli(['validate', repo], e.io)).toBe(1);
    expect(e.err[0]).toBe(
      'environments/dev/infrastructure/kustomization.yaml#0 $.resources[0]: "namespace.yaml" does not exist in the repository (resolved to environments/dev/infrastructure/namespace.yaml)',
    );
  }, 30_000);

  it('prints the per-cluster topology and fails on a topology fault', async () => {
    const repo = path.join(dir, 'repo');
    await runCli(
      [
        'init',
        '--out',
        repo,
        '--blueprint',
        path.join(repoRoot, 'templates/gitops-repository'),
      ],
      io().io,
    );
    for (const example of ['dev', 'staging']) {
      expect(
        await runCli(
          [
            'render',
            '--spec',
            path.join(repoRoot, `examples/gitops/${example}.yaml`),
            '--out',
            repo,
          ],
          io().io,
        ),
      ).toBe(0);
    }
    const a = io();
    expect(await runCli(['topology', repo], a.io)).toBe(0);
    const picture = a.out.join('\n');
    expect(picture).toMatch(
      /^cluster local \(local, root clusters\/local\/root\)$/m,
    );
    expect(picture).toMatch(
      /^cluster cloud\/staging \(cloud, root environments\/staging\/cluster\)$/m,
    );
    expect(picture).toContain(
      'staging: KubernetesCluster staging/staging-kubernetes-cluster [observes, writes staging/staging-kubernetes-cluster-kubeconfig]',
    );
    expect(a.err).toEqual([]);

    // The local cluster picks up every environment's infrastructure again.
    const appSet = path.join(repo, 'clusters/local/root/infrastructure.yaml');
    writeFileSync(
      appSet,
      readFileSync(appSet, 'utf8').replace(
        'spec.target: local',
        'spec.target: cloud',
      ),
    );
    const b = io();
    expect(await runCli(['topology', repo], b.io)).toBe(1);
    expect(b.err.join('\n')).toContain(
      'clusters/local/root/infrastructure.yaml#0 $.spec.generators[0]: Application staging-infrastructure of ApplicationSet infrastructure makes cluster local (clusters/local/root) reconcile',
    );
  }, 30_000);

  it('writes nothing for an invalid spec', async () => {
    const spec = path.join(dir, 'env.yaml');
    writeFileSync(
      spec,
      'name: "../etc"\nowner: user:a\ntarget: cloud\nprovider: local\n',
    );
    const out = path.join(dir, 'out');
    const a = io();
    expect(await runCli(['render', '--spec', spec, '--out', out], a.io)).toBe(
      1,
    );
    expect(a.err.join('\n')).toMatch(
      /spec.name: must be a DNS-1123 label: contains "."/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('reports usage errors with exit code 2', async () => {
    const a = io();
    expect(await runCli(['render'], a.io)).toBe(2);
    expect(a.err.join('\n')).toMatch(/--spec is required/);
    expect(await runCli(['frobnicate'], io().io)).toBe(2);
  });
});
