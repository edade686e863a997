import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { planPromotion } from './planPromotion';
import { promotionFixture } from './promotionFixture';
import { renderWorkloads } from './renderWorkloads';
import { generateEnvironment } from '../generator';
import { parseEnvironmentSpec } from '../spec';

/** The app bases of the blueprint in this repository (templates/gitops-repository/apps). */
function blueprintApps(): Record<string, string> {
  const root = path.resolve(
    __dirname,
    '../../../../templates/gitops-repository',
  );
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files[path.relative(root, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(path.join(root, 'apps'));
  return files;
}

const blueprint = {
  ...blueprintApps(),
  ...generateEnvironment(
    parseEnvironmentSpec({
      name: 'blueprint-dev',
      owner: 'group:default/team-a',
      target: 'local',
      provider: 'local',
      workloads: ['orders-api', 'storefront'],
      workloadOverrides: { 'orders-api': { imageTag: '1.4.0', replicas: 2 } },
    }),
  ),
};

function kubectlAvailable(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const byKindAndName = (yaml: string) =>
  parseAllDocuments(yaml)
    .map(d => d.toJS())
    .sort((a, b) =>
      `${a.kind}/${a.metadata.name}` < `${b.kind}/${b.metadata.name}` ? -1 : 1,
    );

// The in-process render is what the action uses; where kubectl is installed
// this checks it against the real `kubectl kustomize`, before and after a
// promotion, for local and cloud environments.
(kubectlAvailable() ? describe : describe.skip)(
  'renderWorkloads against kubectl kustomize',
  () => {
    const before = promotionFixture();
    const plan = planPromotion({
      repo: before,
      from: 'dev',
      to: 'prod',
      copyConfig: true,
    });
    const after = {
      ...before,
      ...Object.fromEntries(plan.changed.map(c => [c.path, c.content])),
    };

    it.each([
      ['dev', before],
      ['staging', before],
      ['prod', before],
      ['prod', after],
      // the blueprint's bases carry their own labels (with selectors)
      ['blueprint-dev', blueprint],
    ])('renders %s as kubectl kustomize does', (env, files) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promote-render-'));
      try {
        for (const [p, c] of Object.entries(files)) {
          fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
          fs.writeFileSync(path.join(dir, p), c);
        }
        const built = execFileSync('kubectl', [
          'kustomize',
          path.join(dir, 'environments', env, 'workloads'),
        ]).toString();
        expect(byKindAndName(renderWorkloads(files, env).yaml)).toEqual(
          byKindAndName(built),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
