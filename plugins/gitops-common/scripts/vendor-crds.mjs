#!/usr/bin/env node
/* eslint-disable no-console */
/*
 * Regenerates plugins/gitops-common/crds/ from a checkout of the upstream CRD
 * files (the layout of the project's reference data: providers/<family>/,
 * crossplane/crds/, argo-cd/crds/). Usage:
 *
 *   node plugins/gitops-common/scripts/vendor-crds.mjs <reference-dir>
 *   yarn prettier --write plugins/gitops-common/crds/index.ts plugins/gitops-common/crds/README.md
 *
 * (the JSON files stay minified; .prettierignore skips them)
 * Each CRD is pruned to what a validator of desired objects needs: the served
 * versions the blueprint uses, their openAPIV3Schema without `description`
 * and `example` texts and without the `status` subtree (status is written by
 * controllers, never by the GitOps repository). Nothing else is changed: types,
 * required, enums, formats, defaults, CEL rules, x-kubernetes-* markers stay.
 * The source file's sha256 is kept so a reviewer can re-derive every file.
 */
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readFileSync,
  writeFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '..', 'crds');

/** Upstream sources of the files not listed in providers/SOURCES.md. */
const OTHER_SOURCES = {
  crossplane: {
    repository: 'crossplane/crossplane',
    tag: 'v2.4.0-rc.0 snapshot (the blueprint runs Crossplane 2.0.2; these kinds are unchanged in shape for the fields the blueprint writes)',
    commit: '2d040d2daf4e001799c4154a4a09b9e1f40d7fde',
    dir: 'cluster/crds',
  },
  'argo-cd': {
    repository: 'argoproj/argo-cd',
    tag: 'VERSION 3.6.0 snapshot',
    commit: '37ee0097cf851bc2dd7665fc081bbce61a7e836e',
    dir: 'manifests/crds',
  },
};

/** Files to vendor and the versions kept (null: every served version). */
const FILES = {
  'providers/aws/aws.m.upbound.io_clusterproviderconfigs.yaml': null,
  'providers/aws/aws.upbound.io_providerconfigs.yaml': null,
  'providers/aws/ec2.aws.m.upbound.io_internetgateways.yaml': null,
  'providers/aws/ec2.aws.m.upbound.io_routes.yaml': null,
  'providers/aws/ec2.aws.m.upbound.io_routetableassociations.yaml': null,
  'providers/aws/ec2.aws.m.upbound.io_routetables.yaml': null,
  'providers/aws/ec2.aws.m.upbound.io_subnets.yaml': null,
  'providers/aws/ec2.aws.m.upbound.io_vpcs.yaml': null,
  'providers/aws/ec2.aws.upbound.io_internetgateways.yaml': ['v1beta1'],
  'providers/aws/ec2.aws.upbound.io_routes.yaml': ['v1beta1'],
  'providers/aws/ec2.aws.upbound.io_routetableassociations.yaml': ['v1beta1'],
  'providers/aws/ec2.aws.upbound.io_routetables.yaml': ['v1beta1'],
  'providers/aws/ec2.aws.upbound.io_subnets.yaml': ['v1beta1'],
  'providers/aws/ec2.aws.upbound.io_vpcs.yaml': ['v1beta1'],
  'providers/aws/eks.aws.m.upbound.io_clusterauths.yaml': null,
  'providers/aws/eks.aws.m.upbound.io_clusters.yaml': null,
  'providers/aws/eks.aws.m.upbound.io_nodegroups.yaml': null,
  'providers/aws/eks.aws.upbound.io_clusterauths.yaml': ['v1beta1'],
  'providers/aws/eks.aws.upbound.io_clusters.yaml': ['v1beta1'],
  'providers/aws/eks.aws.upbound.io_nodegroups.yaml': ['v1beta1'],
  'providers/aws/elasticache.aws.m.upbound.io_replicationgroups.yaml': null,
  'providers/aws/elasticache.aws.upbound.io_replicationgroups.yaml': [
    'v1beta1',
  ],
  'providers/aws/iam.aws.m.upbound.io_rolepolicyattachments.yaml': null,
  'providers/aws/iam.aws.m.upbound.io_roles.yaml': null,
  'providers/aws/iam.aws.upbound.io_rolepolicyattachments.yaml': ['v1beta1'],
  'providers/aws/iam.aws.upbound.io_roles.yaml': ['v1beta1'],
  'providers/aws/rds.aws.m.upbound.io_instances.yaml': null,
  'providers/aws/rds.aws.upbound.io_instances.yaml': ['v1beta1'],
  'providers/aws/s3.aws.m.upbound.io_buckets.yaml': null,
  'providers/aws/s3.aws.m.upbound.io_bucketversionings.yaml': null,
  'providers/aws/s3.aws.upbound.io_buckets.yaml': ['v1beta1'],
  'providers/aws/s3.aws.upbound.io_bucketversionings.yaml': ['v1beta1'],
  'providers/azure/azure.m.upbound.io_clusterproviderconfigs.yaml': null,
  'providers/azure/azure.m.upbound.io_resourcegroups.yaml': null,
  'providers/azure/azure.upbound.io_providerconfigs.yaml': null,
  'providers/azure/azure.upbound.io_resourcegroups.yaml': null,
  'providers/azure/cache.azure.m.upbound.io_rediscaches.yaml': null,
  'providers/azure/cache.azure.upbound.io_rediscaches.yaml': ['v1beta1'],
  'providers/azure/containerservice.azure.m.upbound.io_kubernetesclusters.yaml':
    null,
  'providers/azure/containerservice.azure.upbound.io_kubernetesclusters.yaml': [
    'v1beta1',
  ],
  'providers/azure/dbformysql.azure.m.upbound.io_flexibleservers.yaml': null,
  'providers/azure/dbformysql.azure.upbound.io_flexibleservers.yaml': [
    'v1beta1',
  ],
  'providers/azure/dbforpostgresql.azure.m.upbound.io_flexibleservers.yaml':
    null,
  'providers/azure/dbforpostgresql.azure.upbound.io_flexibleservers.yaml': [
    'v1beta1',
  ],
  'providers/azure/storage.azure.m.upbound.io_accounts.yaml': null,
  'providers/azure/storage.azure.m.upbound.io_containers.yaml': null,
  'providers/azure/storage.azure.upbound.io_accounts.yaml': ['v1beta1'],
  'providers/azure/storage.azure.upbound.io_containers.yaml': null,
  'providers/envcfg/environmentconfigs.fn.crossplane.io_inputs.yaml': null,
  'providers/gcp/container.gcp.m.upbound.io_clusters.yaml': null,
  'providers/gcp/container.gcp.m.upbound.io_nodepools.yaml': null,
  'providers/gcp/container.gcp.upbound.io_clusters.yaml': ['v1beta1'],
  'providers/gcp/container.gcp.upbound.io_nodepools.yaml': ['v1beta1'],
  'providers/gcp/gcp.m.upbound.io_clusterproviderconfigs.yaml': null,
  'providers/gcp/gcp.upbound.io_providerconfigs.yaml': null,
  'providers/gcp/redis.gcp.m.upbound.io_instances.yaml': null,
  'providers/gcp/redis.gcp.upbound.io_instances.yaml': ['v1beta1'],
  'providers/gcp/sql.gcp.m.upbound.io_databaseinstances.yaml': null,
  'providers/gcp/sql.gcp.upbound.io_databaseinstances.yaml': ['v1beta1'],
  'providers/gcp/storage.gcp.m.upbound.io_buckets.yaml': null,
  'providers/gcp/storage.gcp.upbound.io_buckets.yaml': ['v1beta1'],
  'providers/helm/helm.crossplane.io_providerconfigs.yaml': ['v1beta1'],
  'providers/helm/helm.crossplane.io_releases.yaml': ['v1beta1'],
  'providers/helm/helm.m.crossplane.io_clusterproviderconfigs.yaml': null,
  'providers/helm/helm.m.crossplane.io_providerconfigs.yaml': null,
  'providers/helm/helm.m.crossplane.io_releases.yaml': null,
  'providers/kubernetes/kubernetes.crossplane.io_objects.yaml': ['v1alpha2'],
  'providers/kubernetes/kubernetes.crossplane.io_providerconfigs.yaml': null,
  'providers/kubernetes/kubernetes.m.crossplane.io_clusterproviderconfigs.yaml':
    null,
  'providers/kubernetes/kubernetes.m.crossplane.io_objects.yaml': null,
  'providers/kubernetes/kubernetes.m.crossplane.io_providerconfigs.yaml': null,
  'providers/pat/pt.fn.crossplane.io_resources.yaml': null,
  'crossplane/crds/apiextensions.crossplane.io_compositeresourcedefinitions.yaml':
    null,
  'crossplane/crds/apiextensions.crossplane.io_compositions.yaml': null,
  'crossplane/crds/apiextensions.crossplane.io_environmentconfigs.yaml': null,
  'argo-cd/crds/application-crd.yaml': null,
  'argo-cd/crds/applicationset-crd.yaml': null,
  'argo-cd/crds/appproject-crd.yaml': null,
};

function providerSources(reference) {
  const rows = new Map();
  const text = readFileSync(
    path.join(reference, 'providers', 'SOURCES.md'),
    'utf8',
  );
  for (const line of text.split('\n')) {
    const m = line.match(
      /^\| `([^`]+)` \| \d+ \| \w+ \| ([^|]+) \| ([^|]+) \| (\w+) \| `([^`]+)` \|$/,
    );
    if (m)
      rows.set(`providers/${m[1]}`, {
        repository: m[2].trim(),
        tag: m[3].trim(),
        commit: m[4],
        path: m[5],
      });
  }
  return rows;
}

/** Drops documentation and example texts of a schema node and its children. */
function pruneSchema(node) {
  if (Array.isArray(node)) return node.map(pruneSchema);
  if (typeof node !== 'object' || node === null) return node;
  const outNode = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'description' || k === 'example') continue;
    if (
      k === 'properties' ||
      k === 'patternProperties' ||
      k === 'definitions'
    ) {
      outNode[k] = Object.fromEntries(
        Object.entries(v).map(([name, s]) => [name, pruneSchema(s)]),
      );
    } else if (
      [
        'items',
        'additionalProperties',
        'not',
        'allOf',
        'anyOf',
        'oneOf',
      ].includes(k)
    ) {
      outNode[k] = pruneSchema(v);
    } else {
      outNode[k] = v; // enum, default, required, x-kubernetes-validations, ...: kept as is
    }
  }
  return outNode;
}

function pruneCrd(crd, keep) {
  const versions = crd.spec.versions
    .filter(v => v.served && (!keep || keep.includes(v.name)))
    .map(v => {
      const schema = pruneSchema(v.schema.openAPIV3Schema);
      if (schema.properties) delete schema.properties.status;
      return {
        name: v.name,
        served: v.served,
        storage: v.storage,
        schema: { openAPIV3Schema: schema },
      };
    });
  if (versions.length === 0)
    throw new Error(`${crd.metadata.name}: no version kept`);
  return {
    apiVersion: crd.apiVersion,
    kind: crd.kind,
    metadata: { name: crd.metadata.name },
    spec: {
      group: crd.spec.group,
      names: crd.spec.names,
      scope: crd.spec.scope,
      versions,
    },
  };
}

/** The folder's README: what was changed and where each file comes from. */
function readme(provenance) {
  const sources = new Map();
  for (const p of provenance) {
    const key = `| ${p.repository} | ${p.tag} | \`${p.commit}\` |`;
    sources.set(key, (sources.get(key) ?? 0) + 1);
  }
  return [
    '# Vendored CRDs',
    '',
    'The CustomResourceDefinitions of every kind the GitOps repository blueprint',
    '(`templates/gitops-repository`) creates or composes, at the versions it pins.',
    'The validator (`src/validator/schema/crdRegistry.ts`) reads them; no test or',
    'check reads anything outside the repository. Generated by',
    '`scripts/vendor-crds.mjs`; do not edit by hand.',
    '',
    '## What was changed',
    '',
    'Each file is the upstream CRD, pruned:',
    '',
    '- only the served versions the blueprint uses are kept (for example `v1beta1`',
    '  of the legacy cluster-scoped upjet kinds, not their newer `v1beta2`);',
    '- `description` and `example` texts are dropped from the schemas, and so is',
    '  the `status` subtree (controllers write status, the repository never does);',
    '- nothing else changes: types, `required`, enums, defaults, patterns,',
    '  `x-kubernetes-*` markers and the CEL rules (`x-kubernetes-validations`)',
    '  keep their upstream values.',
    '',
    '`provenance.json` lists, per file, the repository, tag, commit, path, licence,',
    'the sha256 of the upstream file and the versions kept. Regenerate with',
    '`node plugins/gitops-common/scripts/vendor-crds.mjs <reference-dir>`, where',
    '`<reference-dir>` holds the upstream files in the layout',
    '`providers/<family>/`, `crossplane/crds/`, `argo-cd/crds/`.',
    '',
    '## Sources',
    '',
    '| repository | tag | commit | files |',
    '|---|---|---|---|',
    ...[...sources].map(([row, n]) => `${row} ${n} |`),
    '',
    'All sources are licensed Apache-2.0 (crossplane-contrib providers and',
    'functions, crossplane/crossplane, argoproj/argo-cd); these derived copies keep',
    'that licence. The Crossplane core CRDs come from a newer snapshot than the',
    'Crossplane 2.0.2 the blueprint runs, and the Argo CD CRDs from a newer',
    'snapshot than the Argo CD 3.1 its chart installs; the fields the blueprint',
    'writes have the same shape in both.',
    '',
  ].join('\n');
}

function main() {
  const reference = process.argv[2];
  if (!reference) throw new Error('usage: vendor-crds.mjs <reference-dir>');
  const sources = providerSources(reference);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const provenance = [];
  for (const [rel, keep] of Object.entries(FILES)) {
    const raw = readFileSync(path.join(reference, rel));
    const sha256 = createHash('sha256').update(raw).digest('hex');
    const top = rel.split('/')[0];
    const source =
      sources.get(rel) ??
      (OTHER_SOURCES[top] && {
        repository: OTHER_SOURCES[top].repository,
        tag: OTHER_SOURCES[top].tag,
        commit: OTHER_SOURCES[top].commit,
        path: `${OTHER_SOURCES[top].dir}/${path.basename(rel)}`,
      });
    if (!source) throw new Error(`${rel}: no source recorded`);
    const docs = parseAllDocuments(raw.toString('utf8')).map(d => d.toJS());
    const crds = docs.filter(d => d && d.kind === 'CustomResourceDefinition');
    if (crds.length !== 1)
      throw new Error(`${rel}: expected one CRD, found ${crds.length}`);
    const crd = pruneCrd(crds[0], keep);
    const name = `${path.basename(rel, '.yaml')}.json`;
    writeFileSync(path.join(out, name), `${JSON.stringify(crd)}\n`);
    provenance.push({
      file: name,
      ...source,
      license: 'Apache-2.0',
      sha256,
      versions: crd.spec.versions.map(v => v.name),
    });
  }
  writeFileSync(
    path.join(out, 'provenance.json'),
    `${JSON.stringify(provenance, null, 2)}\n`,
  );
  const index = [
    '// Generated by scripts/vendor-crds.mjs from the files beside it; do not edit.',
    ...provenance.map((p, i) => `import crd${i} from './${p.file}';`),
    '',
    '/** The vendored CRDs (see provenance.json), typed by their reader. */',
    `export const VENDORED_CRDS: unknown[] = [${provenance
      .map((_, i) => `crd${i}`)
      .join(', ')}];`,
    '',
  ];
  writeFileSync(path.join(out, 'index.ts'), index.join('\n'));
  writeFileSync(path.join(out, 'README.md'), readme(provenance));
  const total = readdirSync(out).length;
  console.log(`wrote ${total} files to ${out}`);
}

main();
