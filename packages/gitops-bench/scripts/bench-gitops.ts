/*
 * Benchmark: generate N environments (default 1,000) of varied shape, add them
 * to the blueprint and validate the whole repository, composed resources
 * included: every Composition rendered as function-patch-and-transform does
 * for every parameter set its XRD allows and every XR/claim of the tree with
 * its own values, each composed resource checked against its vendored CRD
 * (schema and CEL rules). Also times validateNewEnvironment (the scaffolder's
 * pre-check) on a sample. Prints time, environments per second and peak
 * memory; the target is generate + validate under 10 s for 1,000
 * environments on 2 cores. Usage: yarn bench:gitops [N]
 */
import {
  CLOUD_PROVIDERS,
  PROVIDER_REGIONS,
  generateEnvironment,
  parseEnvironmentSpec,
  validateNewEnvironment,
  validateRepository,
} from '@epicshelter/plugin-gitops-common';
import { loadBlueprint } from '@epicshelter/plugin-gitops-node';

async function main() {
  const n = Number(process.argv[2] ?? 1000);
  const blueprint = await loadBlueprint();
  let peakRss = process.memoryUsage().rss;
  const sample = () => {
    // maxRSS (KiB) is the process's true peak, also inside validateRepository.
    peakRss = Math.max(
      peakRss,
      process.memoryUsage().rss,
      process.resourceUsage().maxRSS * 1024,
    );
  };
  const t0 = performance.now();
  const tree: Record<string, string> = { ...blueprint };
  for (let i = 0; i < n; i++) {
    const cloud = i % 2 === 1;
    const provider = CLOUD_PROVIDERS[i % 3];
    const spec = parseEnvironmentSpec({
      name: `env-${i}`,
      owner: 'group:default/platform',
      target: cloud ? 'cloud' : 'local',
      provider: cloud ? provider : 'local',
      ...(cloud ? { region: PROVIDER_REGIONS[provider][i % 5] } : {}),
      crossplaneApi: i % 4 === 0 ? 'v1' : 'v2',
      workloads: i % 3 === 0 ? ['orders-api', 'storefront'] : ['orders-api'],
      resources: {
        databases: [{ name: 'db', engine: i % 2 ? 'postgres' : 'mysql' }],
        caches: i % 2 ? [{ name: 'cache' }] : [],
        buckets: [{ name: 'assets', versioning: i % 2 === 0 }],
        ...(cloud ? { kubernetesCluster: { nodeCount: 1 + (i % 5) } } : {}),
      },
    });
    Object.assign(tree, generateEnvironment(spec));
    if (i % 100 === 0) sample();
  }
  const t1 = performance.now();
  const steps = new Map<string, number>();
  const result = validateRepository(tree, {
    onTiming: (step, ms) => steps.set(step, (steps.get(step) ?? 0) + ms),
  });
  sample();
  const t2 = performance.now();
  const checks = Math.min(n, 50);
  for (let i = 0; i < checks; i++) {
    validateNewEnvironment(
      {
        name: `new-${i}`,
        owner: 'user:bench',
        target: 'local',
        provider: 'local',
        workloads: ['orders-api'],
        resources: { databases: [{ name: 'db', engine: 'postgres' }] },
      },
      blueprint,
    );
  }
  sample();
  const t3 = performance.now();
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `environments:            ${n} (${
      Object.keys(tree).length
    } files in the tree)`,
  );
  console.log(`generate:                ${s(t1 - t0)} s`);
  console.log(
    `validate whole repo:     ${s(t2 - t1)} s (${result.issues.length} issues)`,
  );
  for (const [step, ms] of [...steps].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${`${step}:`.padEnd(23)}${s(ms)} s`);
  }
  console.log(
    `generate + validate:     ${s(t2 - t0)} s = ${(
      n /
      ((t2 - t0) / 1000)
    ).toFixed(0)} environments/s`,
  );
  console.log(
    `validateNewEnvironment:  ${((t3 - t2) / checks).toFixed(
      1,
    )} ms per call (${checks} calls)`,
  );
  console.log(
    `peak RSS:                ${(peakRss / 1024 / 1024).toFixed(0)} MiB`,
  );
  if (n === 1000) {
    console.log(
      `target (1,000 in < 10 s): ${t2 - t0 < 10000 ? 'met' : 'MISSED'}`,
    );
  }
  if (!result.ok) {
    console.error(result.issues.slice(0, 5));
    process.exitCode = 1;
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
