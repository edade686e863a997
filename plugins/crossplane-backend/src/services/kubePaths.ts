import type { KubeObject, ObjectRef } from './kubeObjects';

/** `group/version` (or `v1` for the core group) split in two. */
export function splitApiVersion(apiVersion: string) {
  const i = apiVersion.lastIndexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Secrets are never read: a reference to one is only a name. */
export function isSecretRef(ref: ObjectRef): boolean {
  return ref.kind === 'Secret' && splitApiVersion(ref.apiVersion).group === '';
}

/** Namespaced managed resources are Crossplane v2, cluster-scoped ones legacy. */
export function managedVersion(obj: KubeObject): 'v1' | 'v2' {
  return obj.metadata.namespace ? 'v2' : 'v1';
}

/** Lower-case plural the way Kubernetes code generators name resources. */
export function guessPlural(kind: string): string {
  const k = kind.toLowerCase();
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}

/** The API path of a group version (`/api/v1` for the core group). */
export function apiPath(group: string, version: string) {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/**
 * The value part of a label selector for these values (`=a` or ` in (a,b)`).
 * Escapes nothing: label values are DNS labels; refuses anything else.
 */
export function labelValues(values: string[]): string {
  for (const v of values) {
    if (
      !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(v) ||
      v.length > 63
    ) {
      throw new Error(`'${v}' cannot be used as a label value`);
    }
  }
  return values.length === 1 ? `=${values[0]}` : ` in (${values.join(',')})`;
}
