import { getFieldPath, setFieldPath } from './fieldPath';
import { goSprintf } from './goFormat';
import { applyTransform } from './transforms';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A composed resource as function-patch-and-transform desires it. */
export interface RenderedResource {
  /** The template's `name` in the Resources input. */
  name: string;
  /** Index of the template in `resources`. */
  index: number;
  resource: Obj;
  connectionDetails: Obj[];
}

/** Where a render failed: the template, the patch and the message. */
export interface RenderFailure {
  name: string;
  index: number;
  patchIndex: number;
  toFieldPath?: string;
  message: string;
}

/**
 * A resource not composed yet: a required patch reads a field of the XR's
 * status that composed resources write once observed (ToCompositeFieldPath).
 * function-patch-and-transform leaves such a resource out of the desired
 * state until the field exists: a gate, not a failure.
 */
export interface WaitingResource {
  name: string;
  index: number;
  /** The XR status field it waits for. */
  fromFieldPath: string;
}

/** The result of one render: all resources (and those waiting for the XR's status), or the failure that fails the XR. */
export type RenderResult =
  | { ok: true; resources: RenderedResource[]; waiting?: WaitingResource[] }
  | { ok: false; failure: RenderFailure };

/** The patch types that write into composed resources at render time. */
const FROM_TYPES = new Set([
  'FromCompositeFieldPath',
  'FromEnvironmentFieldPath',
  'CombineFromComposite',
  'CombineFromEnvironment',
]);

/** Expands `PatchSet` patches; throws when a named set does not exist. */
export function expandPatches(patches: unknown, patchSets: unknown): Obj[] {
  const sets = Array.isArray(patchSets) ? (patchSets as Obj[]) : [];
  const out: Obj[] = [];
  for (const p of Array.isArray(patches) ? (patches as Obj[]) : []) {
    if ((p.type ?? 'FromCompositeFieldPath') !== 'PatchSet') {
      out.push(p);
      continue;
    }
    const set = sets.find(s => s.name === p.patchSetName);
    if (!set)
      throw new Error(`cannot find PatchSet ${JSON.stringify(p.patchSetName)}`);
    out.push(...(Array.isArray(set.patches) ? (set.patches as Obj[]) : []));
  }
  return out;
}

/** Reads a patch's source value(s); `undefined` when an optional source is missing. */
function sourceValue(
  patch: Obj,
  composite: Obj,
  environment: Obj,
): { value?: unknown; missing?: string } {
  const type = String(patch.type ?? 'FromCompositeFieldPath');
  const source =
    type.endsWith('Environment') || type === 'FromEnvironmentFieldPath'
      ? environment
      : composite;
  if (type.startsWith('Combine')) {
    const combine = isObj(patch.combine) ? patch.combine : {};
    const variables = Array.isArray(combine.variables)
      ? (combine.variables as Obj[])
      : [];
    const values: unknown[] = [];
    for (const v of variables) {
      const value = getFieldPath(source, String(v.fromFieldPath));
      if (value === undefined) return { missing: String(v.fromFieldPath) };
      values.push(value);
    }
    if (combine.strategy !== 'string') {
      throw new Error(
        `combine strategy ${JSON.stringify(combine.strategy)} is not supported`,
      );
    }
    const fmt = isObj(combine.string) ? String(combine.string.fmt) : '';
    return { value: goSprintf(fmt, values) };
  }
  const from = String(patch.fromFieldPath);
  const value = getFieldPath(source, from);
  return value === undefined ? { missing: from } : { value };
}

function write(target: Obj, path: string, value: unknown, policy: unknown) {
  const existing = getFieldPath(target, path);
  const p = isObj(policy) ? String(policy.toFieldPath ?? 'Replace') : 'Replace';
  if (p !== 'Replace' && isObj(existing) && isObj(value)) {
    const keepExisting = p.startsWith('MergeObject');
    setFieldPath(
      target,
      path,
      keepExisting ? { ...value, ...existing } : { ...existing, ...value },
    );
  } else if (
    p.includes('AppendArray') &&
    Array.isArray(existing) &&
    Array.isArray(value)
  ) {
    setFieldPath(target, path, [...existing, ...value]);
  } else {
    setFieldPath(target, path, value);
  }
}

/**
 * Renders the Resources input of function-patch-and-transform v0.9.0 for one
 * composite resource, as on its first reconcile (nothing observed yet, so
 * To*-patches do nothing), or on a later one when the composite carries a
 * status. A required source that is missing, a transform error or a write
 * that cannot be done fails the whole XR here (the function leaves the
 * resource out of the desired state, so it is never created: treated as a
 * failure), except a required source in the XR's status: that resource
 * waits for observed state ({@link WaitingResource}).
 */
export function renderResources(
  input: Obj,
  composite: Obj,
  environment: Obj = {},
): RenderResult {
  const templates = Array.isArray(input.resources)
    ? (input.resources as Obj[])
    : [];
  const resources: RenderedResource[] = [];
  const waiting: WaitingResource[] = [];
  for (const [index, template] of templates.entries()) {
    const one = renderTemplate(template, index, input, composite, environment);
    if ('failure' in one) return { ok: false, failure: one.failure };
    if ('waiting' in one) waiting.push(one.waiting);
    else resources.push(one.rendered);
  }
  return waiting.length > 0
    ? { ok: true, resources, waiting }
    : { ok: true, resources };
}

/** One template rendered: the resource, or what it waits for, or the failure. */
function renderTemplate(
  template: Obj,
  index: number,
  input: Obj,
  composite: Obj,
  environment: Obj,
):
  | { rendered: RenderedResource }
  | { waiting: WaitingResource }
  | { failure: RenderFailure } {
  const name = String(template.name);
  const fail = (patchIndex: number, message: string, toFieldPath?: string) => ({
    failure: { name, index, patchIndex, toFieldPath, message },
  });
  if (!isObj(template.base))
    return fail(-1, `composed resource ${JSON.stringify(name)} has no base`);
  const resource = clone(template.base);
  let patches: Obj[];
  try {
    patches = expandPatches(template.patches, input.patchSets);
  } catch (e) {
    return fail(-1, (e as Error).message);
  }
  for (const [patchIndex, patch] of patches.entries()) {
    const type = String(patch.type ?? 'FromCompositeFieldPath');
    if (!FROM_TYPES.has(type)) continue;
    const toFieldPath = String(patch.toFieldPath ?? patch.fromFieldPath);
    const required =
      isObj(patch.policy) && patch.policy.fromFieldPath === 'Required';
    const where = `cannot apply the ${JSON.stringify(
      type,
    )} patch at index ${patchIndex}`;
    try {
      const source = sourceValue(patch, composite, environment);
      if (source.missing !== undefined) {
        if (required && isStatusGate(patch))
          return { waiting: { name, index, fromFieldPath: source.missing } };
        if (required)
          return fail(
            patchIndex,
            `${where}: required field ${source.missing} is not set`,
            toFieldPath,
          );
        continue;
      }
      let value = source.value;
      for (const t of Array.isArray(patch.transforms)
        ? (patch.transforms as Obj[])
        : []) {
        value = applyTransform(t, value);
      }
      write(resource, toFieldPath, value, patch.policy);
    } catch (e) {
      return fail(patchIndex, `${where}: ${(e as Error).message}`, toFieldPath);
    }
  }
  return {
    rendered: {
      name,
      index,
      resource,
      connectionDetails: Array.isArray(template.connectionDetails)
        ? (template.connectionDetails as Obj[])
        : [],
    },
  };
}

/** A required patch from the XR's status: what observed resources write, so absent on a first reconcile. */
function isStatusGate(patch: Obj): boolean {
  return (
    String(patch.type ?? 'FromCompositeFieldPath') ===
      'FromCompositeFieldPath' &&
    String(patch.fromFieldPath).startsWith('status.')
  );
}
