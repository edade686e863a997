/*
 * Runs the fake Argo CD from a fresh clone, without a build:
 *   yarn workspace @epicshelter/fake-argocd start [--port 7007] [--latency 20] [--apps 1000] [--instances local,cloud]
 *     [--gitops-repo DIR [--gitops-branch main] [--gitops-repo-url URL]] [--scenario states]
 * With --gitops-repo, the applications deploy the real commits of the local
 * git repository DIR (dev at the branch head, staging one commit behind).
 * With --scenario, the instances of that scenario (see scenarios/index.ts)
 * are served after the others.
 */
import { scenarioInstances } from './scenarios';
import { startFakeArgoCd } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) {
    throw new Error(`--${name} needs a value`);
  }
  return value;
}

function intArg(name: string, fallback?: number): number | undefined {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  }
  return n;
}

async function main() {
  const fake = await startFakeArgoCd({
    port: intArg('port', 8090),
    host: arg('host') ?? '127.0.0.1',
    latencyMs: intArg('latency', 0),
    apps: intArg('apps'),
    tokenTtlSeconds: intArg('token-ttl', 3600),
    instances: [
      ...(arg('instances')
        ?.split(',')
        .map(s => s.trim())
        .filter(Boolean) ?? ['local', 'cloud']),
      ...scenarioInstances(arg('scenario') ?? ''),
    ],
    gitopsRepo: arg('gitops-repo'),
    gitopsBranch: arg('gitops-branch'),
    gitopsRepoUrl: arg('gitops-repo-url'),
    // browser tests change applications through PUT /fake/applications/<instance>
    control: true,
  });
  process.stdout.write(`Fake Argo CD listening on port ${fake.port}\n`);
  if (fake.gitops) {
    process.stdout.write(
      `  deploying ${fake.gitops.repoURL} (branch ${
        fake.gitops.branch
      }, head ${fake.gitops.commits[0].sha.slice(0, 7)})\n`,
    );
  }
  for (const name of fake.instanceNames) {
    process.stdout.write(
      `  instance ${name}: ${fake.url(
        name,
      )}  (user admin / password password)\n`,
    );
  }
  const stop = () => {
    fake.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(e => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
