import { basenameOf, dirnameOf, resolveRepoPath } from '../../paths';
import type { StructuralSchema } from '../schema/types';
import type { RepositoryDocument } from '../validateRepository';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A served version of an XRD of the tree. @public */
export interface CompositeType {
  doc: RepositoryDocument;
  apiVersion: string;
  /** The kind of the object: the XR kind, or the claim kind for a claim. */
  kind: string;
  /** The XR kind (equal to kind unless this is a claim). */
  compositeKind: string;
  claim: boolean;
  claimKind?: string;
  scope: 'Namespaced' | 'Cluster' | 'LegacyCluster';
  /** Schema of the whole composite resource, Crossplane's own fields included. */
  schema: StructuralSchema;
}

/** A function-patch-and-transform step of a Composition. @public */
export interface PatchAndTransformStep {
  stepIndex: number;
  input: Record<string, unknown>;
}

/** A pipeline Composition of the tree. @public */
export interface CompositionInfo {
  doc: RepositoryDocument;
  name: string;
  labels: Record<string, string>;
  compositeApiVersion: string;
  compositeKind: string;
  type?: CompositeType;
  /** The environment function-environment-configs builds for it (merged data). */
  environment: Record<string, unknown>;
  steps: PatchAndTransformStep[];
}

/** The platform API a tree defines, and what else rules look up. @public */
export interface PlatformIndex {
  types: Map<string, CompositeType>;
  compositions: CompositionInfo[];
  /** Packages of the Crossplane Providers the tree installs. */
  providerPackages: string[];
  /** Files kustomizations use as patches (partial objects). */
  patchFiles: Set<string>;
}

const METADATA: StructuralSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    namespace: { type: 'string' },
    generateName: { type: 'string' },
    uid: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};
const ref = (...fields: string[]): StructuralSchema => ({
  type: 'object',
  properties: Object.fromEntries(fields.map(f => [f, { type: 'string' }])),
});
const selector: StructuralSchema = {
  type: 'object',
  properties: {
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
  },
};
const anything: StructuralSchema = {
  'x-kubernetes-preserve-unknown-fields': true,
};
const COMPOSITION_FIELDS: Record<string, StructuralSchema> = {
  compositionRef: ref('name'),
  compositionSelector: selector,
  compositionRevisionRef: ref('name'),
  compositionRevisionSelector: selector,
  compositionUpdatePolicy: { type: 'string' },
  resourceRefs: { type: 'array', items: anything },
};

/** Fields Crossplane adds to a composite resource's spec, by XRD scope. */
function crossplaneSpecFields(
  scope: CompositeType['scope'],
  claim: boolean,
): Record<string, StructuralSchema> {
  if (scope !== 'LegacyCluster') {
    return { crossplane: { type: 'object', properties: COMPOSITION_FIELDS } };
  }
  return {
    ...COMPOSITION_FIELDS,
    ...(claim
      ? {
          resourceRef: ref('apiVersion', 'kind', 'name'),
          compositeDeletePolicy: { type: 'string' },
        }
      : {
          claimRef: ref('apiVersion', 'kind', 'name', 'namespace'),
          environmentConfigRefs: { type: 'array', items: anything },
        }),
    writeConnectionSecretToRef: ref('name', 'namespace'),
    publishConnectionDetailsTo: anything,
  };
}

/** The schema of a whole composite resource (or claim) of an XRD version. */
export function compositeSchema(
  openAPIV3Schema: unknown,
  scope: CompositeType['scope'],
  claim = false,
): StructuralSchema {
  const root = (
    isObj(openAPIV3Schema) ? openAPIV3Schema : { type: 'object' }
  ) as StructuralSchema;
  const spec = root.properties?.spec ?? { type: 'object' };
  return {
    ...root,
    type: 'object',
    properties: {
      ...root.properties,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: METADATA,
      spec: {
        ...spec,
        type: 'object',
        properties: {
          ...spec.properties,
          ...crossplaneSpecFields(scope, claim),
        },
      },
      status: compositeStatus(root.properties?.status),
    },
  };
}

/** The XRD's status schema plus what Crossplane writes there; anything when the XRD defines none. */
function compositeStatus(
  status: StructuralSchema | undefined,
): StructuralSchema {
  if (!status?.properties) {
    return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
  return {
    ...status,
    properties: {
      ...status.properties,
      conditions: { type: 'array', items: anything },
      connectionDetails: anything,
      crossplane: anything,
      claimConditionTypes: { type: 'array', items: anything },
    },
  };
}

function environmentOf(
  composition: Obj,
  configs: Map<string, Obj>,
  labelsOf: Map<string, Record<string, string>>,
): Obj {
  const env: Obj = {};
  const pipeline =
    isObj(composition.spec) && Array.isArray(composition.spec.pipeline)
      ? composition.spec.pipeline
      : [];
  for (const step of pipeline) {
    const input = isObj(step) && isObj(step.input) ? step.input : undefined;
    if (
      !input ||
      !String(input.apiVersion).startsWith(
        'environmentconfigs.fn.crossplane.io/',
      )
    )
      continue;
    const refs =
      isObj(input.spec) && Array.isArray(input.spec.environmentConfigs)
        ? input.spec.environmentConfigs
        : [];
    for (const r of refs) {
      if (!isObj(r)) continue;
      if ((r.type ?? 'Reference') === 'Reference' && isObj(r.ref)) {
        Object.assign(env, configs.get(String(r.ref.name)) ?? {});
      } else if (
        r.type === 'Selector' &&
        isObj(r.selector) &&
        Array.isArray(r.selector.matchLabels)
      ) {
        for (const [name, labels] of labelsOf) {
          const ok = (r.selector.matchLabels as Obj[]).every(
            m => m.type !== 'Value' || labels[String(m.key)] === m.value,
          );
          if (ok) Object.assign(env, configs.get(name) ?? {});
        }
      }
    }
  }
  return env;
}

/** Reads the platform API of a tree. Pure. */
export function buildPlatformIndex(
  documents: RepositoryDocument[],
): PlatformIndex {
  const types = new Map<string, CompositeType>();
  const configs = new Map<string, Obj>();
  const configLabels = new Map<string, Record<string, string>>();
  const providerPackages: string[] = [];
  const patchFiles = new Set<string>();
  for (const doc of documents) {
    const v = doc.value;
    if (!isObj(v)) continue;
    const kind = str(v.kind);
    const apiVersion = str(v.apiVersion) ?? '';
    const meta = isObj(v.metadata) ? v.metadata : {};
    if (
      kind === 'CompositeResourceDefinition' &&
      isObj(v.spec) &&
      Array.isArray(v.spec.versions)
    ) {
      const spec = v.spec;
      const names = isObj(spec.names) ? spec.names : {};
      const scope = (str(spec.scope) ??
        (apiVersion === 'apiextensions.crossplane.io/v1'
          ? 'LegacyCluster'
          : 'Namespaced')) as CompositeType['scope'];
      const claimKind = isObj(spec.claimNames)
        ? str(spec.claimNames.kind)
        : undefined;
      for (const version of spec.versions as unknown[]) {
        if (!isObj(version) || version.served === false) continue;
        const schema = isObj(version.schema)
          ? version.schema.openAPIV3Schema
          : undefined;
        const av = `${spec.group}/${version.name}`;
        const xrKind = String(names.kind);
        types.set(`${av}|${xrKind}`, {
          doc,
          apiVersion: av,
          kind: xrKind,
          compositeKind: xrKind,
          claim: false,
          claimKind,
          scope,
          schema: compositeSchema(schema, scope),
        });
        if (claimKind) {
          types.set(`${av}|${claimKind}`, {
            doc,
            apiVersion: av,
            kind: claimKind,
            compositeKind: xrKind,
            claim: true,
            claimKind,
            scope,
            schema: compositeSchema(schema, scope, true),
          });
        }
      }
    } else if (
      kind === 'EnvironmentConfig' &&
      apiVersion.startsWith('apiextensions.crossplane.io/')
    ) {
      configs.set(String(meta.name), isObj(v.data) ? v.data : {});
      configLabels.set(
        String(meta.name),
        (isObj(meta.labels) ? meta.labels : {}) as Record<string, string>,
      );
    } else if (
      kind === 'Provider' &&
      apiVersion.startsWith('pkg.crossplane.io/') &&
      isObj(v.spec)
    ) {
      providerPackages.push(String(v.spec.package));
    } else if (
      ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(
        basenameOf(doc.file),
      )
    ) {
      const dir = dirnameOf(doc.file);
      const refs = [
        ...(Array.isArray(v.patches)
          ? v.patches.map(p => (isObj(p) ? p.path : undefined))
          : []),
        ...(Array.isArray(v.patchesStrategicMerge)
          ? v.patchesStrategicMerge
          : []),
        ...(Array.isArray(v.patchesJson6902)
          ? v.patchesJson6902.map(p => (isObj(p) ? p.path : undefined))
          : []),
      ];
      for (const r of refs) {
        const resolved =
          typeof r === 'string' ? resolveRepoPath(dir, r) : undefined;
        if (resolved !== undefined) patchFiles.add(resolved);
      }
    }
  }
  const compositions: CompositionInfo[] = [];
  for (const doc of documents) {
    const v = doc.value;
    if (
      !isObj(v) ||
      v.kind !== 'Composition' ||
      !isObj(v.spec) ||
      !isObj(v.spec.compositeTypeRef)
    )
      continue;
    const meta = isObj(v.metadata) ? v.metadata : {};
    const typeRef = v.spec.compositeTypeRef;
    const pipeline = Array.isArray(v.spec.pipeline) ? v.spec.pipeline : [];
    compositions.push({
      doc,
      name: String(meta.name),
      labels: (isObj(meta.labels) ? meta.labels : {}) as Record<string, string>,
      compositeApiVersion: String(typeRef.apiVersion),
      compositeKind: String(typeRef.kind),
      type: types.get(`${typeRef.apiVersion}|${typeRef.kind}`),
      environment: environmentOf(v, configs, configLabels),
      steps: pipeline.flatMap((step, stepIndex) =>
        isObj(step) &&
        isObj(step.input) &&
        String(step.input.apiVersion).startsWith('pt.fn.crossplane.io/')
          ? [{ stepIndex, input: step.input }]
          : [],
      ),
    });
  }
  return { types, compositions, providerPackages, patchFiles };
}
