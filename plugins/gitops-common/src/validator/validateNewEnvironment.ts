import { PLATFORM_VERSION, appBaseDir, environmentDir } from '../constants';
import {
  PlatformKind,
  crossplaneObjectsFor,
  generateEnvironment,
  platformApiVersion,
} from '../generator';
import { isInside } from '../paths';
import { EnvironmentSpecIssue, safeParseEnvironmentSpec } from '../spec';
import {
  parseRepositoryDocuments,
  validateRepository,
} from './validateRepository';

const LIST_OF_KIND: Record<PlatformKind, string> = {
  Database: 'databases',
  Bucket: 'buckets',
  Cache: 'caches',
  KubernetesCluster: 'kubernetesCluster',
};

/**
 * Checks that a new environment fits the repository it is to be added to:
 * the spec is valid, the environment does not exist yet, every workload has
 * a base, and the repository's own platform API (its XRDs and Compositions)
 * offers every resource, engine, version and provider the spec asks for.
 * Returns an empty list when the environment can be created.
 * @public
 */
export function validateNewEnvironment(
  input: unknown,
  existingFiles: Record<string, string>,
): EnvironmentSpecIssue[] {
  const parsed = safeParseEnvironmentSpec(input);
  if (!parsed.success) {
    return parsed.issues;
  }
  const spec = parsed.spec;
  const issues: EnvironmentSpecIssue[] = [];
  const dir = environmentDir(spec.name);
  const paths = Object.keys(existingFiles);
  if (paths.some(p => isInside(p, dir))) {
    issues.push({
      path: 'spec.name',
      message: `environment ${JSON.stringify(
        spec.name,
      )} already exists in the repository (${dir}); choose another name`,
    });
  }
  spec.workloads.forEach((app, i) => {
    const base = appBaseDir(app);
    if (
      !['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some(
        k => `${base}/${k}` in existingFiles,
      )
    ) {
      issues.push({
        path: `spec.workloads[${i}]`,
        message: `app ${JSON.stringify(
          app,
        )} has no base in the repository (${base}/kustomization.yaml missing)`,
      });
    }
  });
  if (issues.length > 0) {
    return issues;
  }

  // Which composite types does the repository's platform API define?
  const { documents } = parseRepositoryDocuments(
    Object.fromEntries(
      Object.entries(existingFiles).filter(
        ([p]) => !isInside(p, 'environments'),
      ),
    ),
  );
  const defined = new Set<string>();
  for (const { value } of documents) {
    const v = value as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (
      typeof v?.apiVersion === 'string' &&
      v.apiVersion.startsWith('apiextensions.crossplane.io/') &&
      v.kind === 'CompositeResourceDefinition'
    ) {
      const group = v.spec?.group;
      for (const version of Array.isArray(v.spec?.versions)
        ? v.spec.versions
        : []) {
        defined.add(`${group}/${version?.name}|${v.spec?.names?.kind}`);
        if (v.spec?.claimNames?.kind) {
          defined.add(`${group}/${version?.name}|${v.spec.claimNames.kind}`);
        }
      }
    }
  }
  const refs = crossplaneObjectsFor(spec);
  const apiVersion = platformApiVersion(spec.crossplaneApi);
  const missingKinds = new Set<PlatformKind>();
  for (const ref of refs) {
    if (
      !defined.has(`${apiVersion}|${ref.kind}`) &&
      !missingKinds.has(ref.kind)
    ) {
      missingKinds.add(ref.kind);
      issues.push({
        path: `spec.resources.${LIST_OF_KIND[ref.kind]}`,
        message: `the repository's platform API has no XRD offering ${ref.kind} in ${apiVersion} (crossplaneApi ${spec.crossplaneApi}, version ${PLATFORM_VERSION}); add it under platform/ first`,
      });
    }
  }
  if (issues.length > 0) {
    return issues;
  }

  // Validate the generated files against the repository's own platform API
  // and map problems in an XR back to the spec field that caused it.
  const generated = generateEnvironment(spec);
  const result = validateRepository({ ...existingFiles, ...generated });
  const byFile = new Map(refs.map(r => [r.file, r]));
  const indexOf = (ref: (typeof refs)[number]) => {
    switch (ref.kind) {
      case 'Database':
        return spec.resources.databases.findIndex(d => d.name === ref.resource);
      case 'Cache':
        return spec.resources.caches.findIndex(d => d.name === ref.resource);
      case 'Bucket':
        return spec.resources.buckets.findIndex(d => d.name === ref.resource);
      default:
        return -1;
    }
  };
  const valueOf = (ref: (typeof refs)[number], field: string): unknown => {
    if (ref.kind === 'KubernetesCluster') {
      return (
        spec.resources.kubernetesCluster as Record<string, unknown> | undefined
      )?.[field];
    }
    const list = spec.resources[
      LIST_OF_KIND[ref.kind] as 'databases' | 'caches' | 'buckets'
    ] as Array<Record<string, unknown>>;
    return list[indexOf(ref)]?.[field];
  };
  for (const issue of result.issues) {
    if (!(issue.file in generated)) continue;
    const ref = byFile.get(issue.file);
    if (!ref) {
      issues.push({
        path: 'spec',
        message: `${issue.file} ${issue.path}: ${issue.message}`,
      });
      continue;
    }
    const base =
      ref.kind === 'KubernetesCluster'
        ? 'spec.resources.kubernetesCluster'
        : `spec.resources.${LIST_OF_KIND[ref.kind]}[${indexOf(ref)}]`;
    const param = /^\$\.spec\.parameters\.([A-Za-z]+)/.exec(issue.path);
    if (param && param[1] === 'region') {
      issues.push({ path: 'spec.region', message: issue.message });
    } else if (param) {
      issues.push({
        path: `${base}.${param[1]}`,
        message: `${ref.kind} ${param[1]} ${JSON.stringify(
          valueOf(ref, param[1]),
        )} is not offered by the repository's platform API: ${issue.message}`,
      });
    } else if (issue.path.includes('compositionSelector')) {
      issues.push({
        path: 'spec.provider',
        message: `provider ${JSON.stringify(
          spec.provider,
        )} is not offered for ${ref.kind}: ${issue.message}`,
      });
    } else {
      issues.push({ path: base, message: `${issue.path}: ${issue.message}` });
    }
  }
  return issues;
}
