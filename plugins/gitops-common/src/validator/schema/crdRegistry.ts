import { VENDORED_CRDS } from '../../../crds';
import type { CrdDocument, StructuralSchema } from './types';

/** One served version of a CRD. @public */
export interface CrdVersion {
  group: string;
  version: string;
  kind: string;
  scope: 'Namespaced' | 'Cluster';
  /** Schema of the whole object. */
  schema: StructuralSchema;
  /** CRD file name under plugins/gitops-common/crds. */
  crd: string;
}

/** Looks up the schema of an apiVersion and kind. @public */
export interface CrdRegistry {
  get(apiVersion: string, kind: string): CrdVersion | undefined;
  /** Whether any vendored CRD serves this API group (so an unknown kind is an error). */
  knowsGroup(group: string): boolean;
}

const key = (apiVersion: string, kind: string) => `${apiVersion}|${kind}`;

/** Builds a registry from CRD documents. @public */
export function crdRegistry(crds: CrdDocument[]): CrdRegistry {
  const versions = new Map<string, CrdVersion>();
  const groups = new Set<string>();
  for (const crd of crds) {
    const { group, names, scope } = crd.spec;
    groups.add(group);
    for (const v of crd.spec.versions) {
      if (!v.served) continue;
      const root = v.schema.openAPIV3Schema;
      // apiVersion, kind and metadata are the API server's, not the CRD's.
      const schema: StructuralSchema = {
        ...root,
        properties: {
          ...root.properties,
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
      };
      versions.set(key(`${group}/${v.name}`, names.kind), {
        group,
        version: v.name,
        kind: names.kind,
        scope,
        schema,
        crd: crd.metadata.name,
      });
    }
  }
  return {
    get: (apiVersion, kind) => versions.get(key(apiVersion, kind)),
    knowsGroup: group => groups.has(group),
  };
}

let vendored: CrdRegistry | undefined;

/** The registry of the CRDs vendored into this package (built once). @public */
export function vendoredCrdRegistry(): CrdRegistry {
  vendored ??= crdRegistry(VENDORED_CRDS as CrdDocument[]);
  return vendored;
}
