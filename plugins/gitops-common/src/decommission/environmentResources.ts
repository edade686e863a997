import {
  LABEL_PROVIDER,
  LABEL_RESOURCE,
  LABEL_RESOURCE_TYPE,
  environmentDir,
} from '../constants';
import { isInside } from '../paths';
import type { RepositoryDocument } from '../validator/validateRepository';
import type {
  CompositeType,
  CompositionInfo,
  PlatformIndex,
} from '../validator/rules/platformIndex';
import { DeletionPolicy, compositionDeletion } from './deletionPolicy';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const labelsOf = (v: unknown): Record<string, string> =>
  (isObj(v) ? v : {}) as Record<string, string>;

/** Resource types whose deletion loses data. @public */
export const DATA_RESOURCE_TYPES: readonly string[] = ['database', 'bucket'];

/** One composite resource (XR) or claim an environment holds. @public */
export interface DecommissionResource {
  /** The repository file that declares it. */
  file: string;
  /** Its apiVersion (group/version). */
  apiVersion: string;
  /** Its kind: the XR kind, or the claim kind for a v1 claim. */
  kind: string;
  /** `metadata.name`. */
  name: string;
  /** `metadata.namespace`, for namespaced XRs and claims. */
  namespace?: string;
  /** A Crossplane v1 claim (not a composite resource). */
  claim: boolean;
  /** `epicshelter.io/resource-type`: database, bucket, cache, kubernetes-cluster. */
  resourceType?: string;
  /** `epicshelter.io/resource`: the resource's name in the environment spec. */
  resource?: string;
  /** The provider its composition selector asks for (aws, gcp, azure, local). */
  provider?: string;
  /** The Composition that serves it in this repository. */
  composition?: string;
  /** What Crossplane does with what it manages when it is deleted, as written today. */
  deletionPolicy: DeletionPolicy;
  /** Where {@link DecommissionResource.deletionPolicy} comes from. */
  deletionPolicySource: string;
  /** A database or bucket: deleting it with policy Delete loses its data. */
  holdsData: boolean;
}

/** The composite type a document is an instance of, if any. */
function compositeTypeOf(
  platform: PlatformIndex,
  v: Obj,
): CompositeType | undefined {
  return platform.types.get(`${String(v.apiVersion)}|${String(v.kind)}`);
}

function selectorOf(v: Obj, type: CompositeType): Obj {
  const spec = isObj(v.spec) ? v.spec : {};
  if (type.scope === 'LegacyCluster') return spec;
  return isObj(spec.crossplane) ? spec.crossplane : {};
}

/** The Composition Crossplane picks: compositionRef, else the first whose labels match the selector. */
function selectComposition(
  platform: PlatformIndex,
  type: CompositeType,
  v: Obj,
): CompositionInfo | undefined {
  const fields = selectorOf(v, type);
  const candidates = platform.compositions.filter(
    c =>
      c.compositeKind === type.compositeKind &&
      c.compositeApiVersion === type.apiVersion,
  );
  if (isObj(fields.compositionRef)) {
    const name = String(fields.compositionRef.name);
    return candidates.find(c => c.name === name);
  }
  const wanted = isObj(fields.compositionSelector)
    ? labelsOf(fields.compositionSelector.matchLabels)
    : {};
  return candidates.find(c =>
    Object.entries(wanted).every(([k, val]) => c.labels[k] === val),
  );
}

/**
 * Every composite resource or claim declared under the environment's folder
 * (kustomize patch files excepted), with the deletion policy its composition
 * gives it. Sorted by file.
 */
export function environmentResources(options: {
  env: string;
  documents: RepositoryDocument[];
  platform: PlatformIndex;
}): DecommissionResource[] {
  const { env, documents, platform } = options;
  const dir = environmentDir(env);
  const out: DecommissionResource[] = [];
  for (const doc of documents) {
    const v = doc.value;
    if (
      !isInside(doc.file, dir) ||
      platform.patchFiles.has(doc.file) ||
      !isObj(v)
    ) {
      continue;
    }
    const type = compositeTypeOf(platform, v);
    if (!type) continue;
    const meta = isObj(v.metadata) ? v.metadata : {};
    const labels = labelsOf(meta.labels);
    const fields = selectorOf(v, type);
    const selectorLabels = isObj(fields.compositionSelector)
      ? labelsOf(fields.compositionSelector.matchLabels)
      : {};
    const composition = selectComposition(platform, type, v);
    const { deletionPolicy, source } = compositionDeletion(composition);
    const resourceType =
      labels[LABEL_RESOURCE_TYPE] ??
      (['Database', 'Bucket'].includes(type.compositeKind.replace(/^X/, ''))
        ? type.compositeKind.replace(/^X/, '').toLowerCase()
        : undefined);
    out.push({
      file: doc.file,
      apiVersion: String(v.apiVersion),
      kind: String(v.kind),
      name: String(meta.name),
      ...(typeof meta.namespace === 'string'
        ? { namespace: meta.namespace }
        : {}),
      claim: type.claim,
      ...(resourceType ? { resourceType } : {}),
      ...(labels[LABEL_RESOURCE] ? { resource: labels[LABEL_RESOURCE] } : {}),
      ...(selectorLabels[LABEL_PROVIDER] ?? composition?.labels[LABEL_PROVIDER]
        ? {
            provider:
              selectorLabels[LABEL_PROVIDER] ??
              composition?.labels[LABEL_PROVIDER],
          }
        : {}),
      ...(composition ? { composition: composition.name } : {}),
      deletionPolicy,
      deletionPolicySource: source,
      holdsData:
        resourceType !== undefined &&
        DATA_RESOURCE_TYPES.includes(resourceType),
    });
  }
  const byFileThenName = (a: DecommissionResource, b: DecommissionResource) =>
    a.file.localeCompare(b.file, 'en') || a.name.localeCompare(b.name, 'en');
  return out.sort(byFileThenName);
}
