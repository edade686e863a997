/*
 * yarn bench:catalog — a git repository with 1,000 environments; time and
 * memory of the provider's first full ingestion and of an incremental
 * refresh after one environment changes. Targets: full < 30 s, incremental < 2 s.
 *
 * Measures the provider end to end up to the catalog: reading git
 * (isomorphic-git), parsing and checking every spec, building the entities,
 * validating each with the catalog model's kind validators (what the catalog
 * does first) and handing the mutation to the connection. The catalog's own
 * database writes and processing loop are not included.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  Entity,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import {
  PROVIDER_REGIONS,
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
// The provider and the test git repository are not part of the module's public API; the benchmark measures them directly.
/* eslint-disable @backstage/no-forbidden-package-imports */
import { GitOpsEntityProvider } from '@epicshelter/plugin-catalog-backend-module-gitops/src/provider/GitOpsEntityProvider';
import { GitOpsRepositoryServiceSource } from '@epicshelter/plugin-catalog-backend-module-gitops/src/provider/sources';
import {
  TestRepo,
  localRepository,
} from '@epicshelter/plugin-catalog-backend-module-gitops/src/__testUtils__/gitRepo';

const COUNT = Number(process.env.BENCH_ENVIRONMENTS ?? 1000);

function spec(i: number, tag = '1.0.0') {
  const cloud = i % 2 === 1;
  const provider = (['aws', 'gcp', 'azure'] as const)[i % 3];
  return parseEnvironmentSpec({
    name: `env-${String(i).padStart(4, '0')}`,
    owner: `group:default/team-${i % 20}`,
    target: cloud ? 'cloud' : 'local',
    provider: cloud ? provider : 'local',
    ...(cloud ? { region: PROVIDER_REGIONS[provider][0] } : {}),
    workloads: ['orders-api', 'storefront'],
    workloadOverrides: { 'orders-api': { imageTag: tag } },
    resources: {
      databases: [{ name: 'orders-db', engine: 'postgres' }],
      caches: i % 4 === 0 ? [{ name: 'sessions' }] : [],
      buckets: [{ name: 'assets' }],
      ...(cloud ? { kubernetesCluster: {} } : {}),
    },
  });
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-catalog-'));
  try {
    const t0 = performance.now();
    const repo = TestRepo.init(path.join(tmp, 'gitops'));
    for (let i = 0; i < COUNT; i++) repo.write(generateEnvironment(spec(i)));
    repo.commit(`${COUNT} environments`);
    const setupMs = performance.now() - t0;

    let entityCount = 0;
    let invalid = 0;
    const connection: EntityProviderConnection = {
      async applyMutation(m: EntityProviderMutation) {
        const list = m.type === 'full' ? m.entities : m.added;
        for (const { entity } of list) {
          entityCount++;
          if (
            (await resourceEntityV1alpha1Validator.check(entity as Entity)) !==
            true
          )
            invalid++;
        }
      },
      async refresh() {},
    };
    const logger = {
      info() {},
      warn() {},
      error() {},
      debug() {},
      child() {
        return logger;
      },
    } as any;
    const provider = new GitOpsEntityProvider({
      source: new GitOpsRepositoryServiceSource(
        localRepository(repo.dir, 'main'),
      ),
      repository: {
        kind: 'local',
        location: repo.dir,
        branch: 'main',
        branchPrefix: 'epicshelter/',
      },
      logger,
    });
    await provider.connect(connection);

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);

    let t = performance.now();
    const full = await provider.refresh();
    const fullMs = performance.now() - t;
    const fullEntities = entityCount;
    const heapAfterFull = process.memoryUsage().heapUsed;

    t = performance.now();
    const unchanged = await provider.refresh();
    const unchangedMs = performance.now() - t;

    repo.write(generateEnvironment(spec(7, '1.1.0')));
    repo.commit('bump env-0007');
    entityCount = 0;
    t = performance.now();
    const delta = await provider.refresh();
    const deltaMs = performance.now() - t;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const row = (name: string, ms: number, target: string, extra: string) =>
      `${name.padEnd(26)} ${ms.toFixed(0).padStart(8)} ms   ${target.padEnd(
        9,
      )} ${extra}`;
    console.log(
      `bench:catalog — ${COUNT} environments in a local git repository (${
        os.cpus().length
      } CPUs, Node ${process.version})`,
    );
    console.log(
      `repository setup (git CLI, not measured): ${(setupMs / 1000).toFixed(
        1,
      )} s`,
    );
    console.log(
      `${'step'.padEnd(26)} ${'time'.padStart(11)}   ${'target'.padEnd(
        9,
      )} result`,
    );
    console.log(
      row(
        'full ingestion',
        fullMs,
        '< 30000',
        `${full.type}, ${full.emitted.length} environments, ${fullEntities} entities (${invalid} invalid)`,
      ),
    );
    console.log(
      row('refresh, head unchanged', unchangedMs, '-', unchanged.type),
    );
    console.log(
      row(
        'incremental (1 changed)',
        deltaMs,
        '< 2000',
        `${delta.type}, emitted ${delta.emitted.join(
          ',',
        )}, ${entityCount} entities`,
      ),
    );
    console.log(
      `memory: heap +${mb(
        heapAfterFull - heapBefore,
      )} after full ingestion, peak RSS ${mb(peakRss)}`,
    );
    const ok =
      fullMs < 30000 &&
      deltaMs < 2000 &&
      invalid === 0 &&
      delta.emitted.length === 1;
    console.log(ok ? 'targets met' : 'TARGETS MISSED');
    process.exitCode = ok ? 0 : 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
