import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const labels = (resource: string) => `  labels:
    app.kubernetes.io/part-of: epicshelter
    epicshelter.io/environment: dev
    epicshelter.io/resource: ${resource}`;

/**
 * Writes a GitOps repository as the generator lays it out: per environment
 * `environments/<env>/infrastructure/` holding XRs (v2) and claims (v1),
 * named `<env>-<resource>`. The demo's `dev-kubernetes-cluster` is
 * deliberately not declared (live but not declared) and `dev-analytics-db`
 * is declared but not live (not yet created). The v1 claim
 * `dev-storefront-legacy-db` is declared here (the dev example no longer
 * does) so that matching a claim is covered too. The files are committed on
 * `branch` (default `main`): the desired state is what the branch holds.
 */
export function writeGitOpsRepo(branch = 'main'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crossplane-gitops-'));
  const dir = path.join(root, 'environments', 'dev', 'infrastructure');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'kustomization.yaml'),
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - orders-api.yaml\n  - storefront.yaml\n',
  );
  fs.writeFileSync(
    path.join(dir, 'orders-api.yaml'),
    `apiVersion: platform.epicshelter.io/v1alpha1
kind: Database
metadata:
  name: dev-orders-db
  namespace: dev
${labels('orders-db')}
spec:
  crossplane:
    compositionSelector:
      matchLabels:
        platform.epicshelter.io/provider: aws
  parameters:
    engine: postgres
    size: small
---
apiVersion: platform.epicshelter.io/v1alpha1
kind: Cache
metadata:
  name: dev-orders-cache
  namespace: dev
${labels('orders-cache')}
spec:
  parameters:
    engine: redis
---
apiVersion: platform.epicshelter.io/v1alpha1
kind: Database
metadata:
  name: dev-analytics-db
  namespace: dev
${labels('analytics-db')}
spec:
  parameters:
    engine: mysql
    size: medium
`,
  );
  fs.mkdirSync(path.join(dir, 'storefront'));
  fs.writeFileSync(
    path.join(dir, 'storefront', 'resources.yml'),
    `apiVersion: platform.epicshelter.io/v1alpha1
kind: Bucket
metadata:
  name: dev-storefront-assets
  namespace: dev
${labels('storefront-assets')}
spec:
  parameters:
    versioning: true
---
apiVersion: platform.epicshelter.io/v1alpha1
kind: Database
metadata:
  name: dev-storefront-db
  namespace: dev
${labels('storefront-db')}
spec:
  parameters:
    engine: postgres
    size: small
---
apiVersion: legacy.platform.epicshelter.io/v1alpha1
kind: Database
metadata:
  name: dev-storefront-legacy-db
  namespace: dev
${labels('storefront-legacy-db')}
spec:
  compositionSelector:
    matchLabels:
      platform.epicshelter.io/provider: aws
  parameters:
    engine: postgres
    size: small
`,
  );
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
      { cwd: root },
    );
  git('init', '-q', '-b', branch);
  git('add', '-A');
  git('commit', '-q', '-m', 'environment dev');
  return root;
}
