/*
 * Runs the fake Kubernetes API seeded with the demo environment.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     packages/fake-kubernetes/src/cli.ts [--port 7007x] [--env dev] [--host 127.0.0.1]
 *     [--scenario states]
 *     [--gitops-repo DIR [--gitops-branch main]]
 *
 * With --gitops-repo, it also serves what a cluster syncing the local GitOps
 * repository DIR would hold for each of its environments (XRs, managed
 * resources, Deployments, Pods, Services), new environments appearing and
 * becoming ready within seconds (see gitopsEnvironments.ts).
 */
import { demoObjects } from './demo';
import { withScenarios } from './scenarios';
import { startFakeKubernetes } from './server';
import { followGitOpsRepository } from './gitopsEnvironments';
import { KUBERNETES_TAB_TYPES } from './kubernetesTabTypes';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main() {
  const port = Number(arg('port', '7080'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `--port must be an integer between 0 and 65535, got ${arg('port', '')}`,
    );
  }
  const env = arg('env', 'dev');
  const server = await startFakeKubernetes({
    port,
    host: arg('host', '127.0.0.1'),
    objects: withScenarios(demoObjects(env), arg('scenario', '')),
    extraTypes: KUBERNETES_TAB_TYPES,
    // browser tests change objects through PUT /fake/objects
    control: true,
  });
  process.stdout.write(
    `Fake Kubernetes API (sandbox data, environment "${env}") at ${server.url}\n` +
      `Point the portal at it with:\n\n` +
      `kubernetes:\n  serviceLocatorMethods:\n    - type: multiTenant\n  clusterLocatorMethods:\n    - type: config\n      clusters:\n` +
      `        - name: sandbox\n          url: ${server.url}\n          authProvider: serviceAccount\n          serviceAccountToken: sandbox\n          skipTLSVerify: true\n` +
      `crossplane:\n  sandbox: true\n`,
  );
  const repo = arg('gitops-repo', '');
  const unfollow = repo
    ? followGitOpsRepository(server, {
        dir: repo,
        branch: arg('gitops-branch', 'main'),
        withoutCrossplane: [env],
        onError: m => process.stderr.write(`${m}\n`),
      })
    : () => undefined;
  if (repo) {
    process.stdout.write(
      `Serving the environments of the GitOps repository ${repo}\n`,
    );
  }
  const stop = () => {
    unfollow();
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(e => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
