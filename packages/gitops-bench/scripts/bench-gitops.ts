/*
 * Benchmark: generate N environments (default 1,000) of varied shape, add them
 * to the blueprint and validate the whole repository, composed resources
 * included: every Composition rendered as function-patch-and-transform does
 * for every parameter set its XRD allows and every XR/claim of the tree with
 * its own values, each composed resource checked against its vendored CRD
 * (schema and CEL rules). Also times validateNewEnvironment (the scaffolder's
 * pre-check) on a sample. Prints wall-clock and CPU time per phase
 * (generate: parsing specs and writing files; validate: parse,
 * validateRepository's own checks, each rule), environments per second,
 * peak memory and the load average; the target is generate + validate
 * under 10 s for 1,000 environments on 2 cores. Usage: yarn bench:gitops [N]
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
import { loadavg } from 'node:os';

/** Wall-clock and CPU (user + system, all threads) milliseconds since the last lap. */
function stopwatch() {
  let wall = performance.now();
  let cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    const lap = {
      wall: performance.now() - wall,
      cpu: (used.user + used.system) / 1000,
    };
    wall = performance.now();
    cpu = process.cpuUsage();
    return lap;
  };
}

type Lap = { wall: number; cpu: number };

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
  const loadBefore = loadavg()[0];
  const phase = stopwatch();
  const tree: Record<string, string> = { ...blueprint };
  // Generation's two halves, timed apart: parsing the specs (zod) and
  // writing the files (toYaml).
  const parse: Lap = { wall: 0, cpu: 0 };
  const write: Lap = { wall: 0, cpu: 0 };
  const part = stopwatch();
  const add = (into: Lap) => {
    const lap = part();
    into.wall += lap.wall;
    into.cpu += lap.cpu;
  };
  for (let i = 0; i < n; i++) {
    const cloud = i % 2 === 1;
    const provider = CLOUD_PROVIDERS[i % 3];
    part();
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
    add(parse);
    Object.assign(tree, generateEnvironment(spec));
    add(write);
    if (i % 100 === 0) sample();
  }
  const generate = phase();
  // Steps run one after another: each step's CPU is the CPU since the last.
  const steps = new Map<string, Lap>();
  const step = stopwatch();
  const result = validateRepository(tree, {
    onTiming: (name, wall) => {
      const { cpu } = step();
      const prev = steps.get(name) ?? { wall: 0, cpu: 0 };
      steps.set(name, { wall: prev.wall + wall, cpu: prev.cpu + cpu });
    },
  });
  sample();
  const validate = phase();
  const peakRssGenerateValidate = peakRss;
  const loadAfter = loadavg()[0];
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
  const newEnvironment = phase();
  const s = (ms: number) => (ms / 1000).toFixed(2).padStart(6);
  const row = (label: string, lap: Lap, note = '') =>
    console.log(`${label.padEnd(25)}${s(lap.wall)} s  ${s(lap.cpu)} s${note}`);
  const total = {
    wall: generate.wall + validate.wall,
    cpu: generate.cpu + validate.cpu,
  };
  console.log(
    `environments: ${n} (${Object.keys(tree).length} files in the tree)`,
  );
  console.log(`${''.padEnd(25)}  wall     CPU (user + system)`);
  row('generate', generate);
  row('  parse specs', parse);
  row('  write files', write);
  row('validate whole repo', validate, `  (${result.issues.length} issues)`);
  for (const [name, lap] of [...steps].sort((a, b) => b[1].wall - a[1].wall)) {
    row(`  ${name}`, lap);
  }
  row(
    'generate + validate',
    total,
    `  = ${(n / (total.wall / 1000)).toFixed(0)} environments/s`,
  );
  console.log(
    `validateNewEnvironment:  ${(newEnvironment.wall / checks).toFixed(
      1,
    )} ms per call (${checks} calls)`,
  );
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  console.log(
    `peak RSS:                ${mib(
      peakRssGenerateValidate,
    )} generate + validate, ${mib(peakRss)} whole run`,
  );
  console.log(
    `load average (1 min):    ${loadBefore.toFixed(
      2,
    )} before, ${loadAfter.toFixed(2)} after generate + validate`,
  );
  if (n === 1000) {
    console.log(
      `target (1,000 in < 10 s): ${
        total.wall < 10000 ? 'met' : 'MISSED'
      } (wall clock)`,
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
