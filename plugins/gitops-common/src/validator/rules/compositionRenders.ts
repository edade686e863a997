import { parameterSets } from '../composition/parameterSets';
import {
  renderResources,
  type RenderResult,
} from '../composition/patchAndTransform';
import { validateStructural } from '../schema/structural';
import type { StructuralSchema } from '../schema/types';
import type { CompositionInfo, PatchAndTransformStep } from './platformIndex';
import type { RuleContext } from './types';

type Obj = Record<string, unknown>;

/** One render of one P&T step of a Composition for one composite resource. */
export interface CompositionRender {
  composition: CompositionInfo;
  step: PatchAndTransformStep;
  /** The parameters, for messages. */
  parameters: Obj;
  composite: Obj;
  result: RenderResult;
  /** Rendered as on a later reconcile: the composite has every status field set (see observedComposite). */
  observed?: boolean;
}

const UID = '4f6c2a1e-0000-4000-8000-000000000000';

/** A composite resource as the API server stores it for these parameters (defaults applied), or undefined if it would be rejected. */
export function sampleComposite(
  composition: CompositionInfo,
  parameters: Obj,
): Obj | undefined {
  const type = composition.type;
  if (!type) return undefined;
  const legacy = type.scope === 'LegacyCluster';
  const selector = { compositionSelector: { matchLabels: composition.labels } };
  const raw: Obj = {
    apiVersion: composition.compositeApiVersion,
    kind: composition.compositeKind,
    metadata: legacy
      ? { name: 'sample-x7k2p', uid: UID }
      : { name: 'sample', namespace: 'sample-namespace', uid: UID },
    spec: legacy
      ? {
          parameters,
          ...selector,
          claimRef: {
            apiVersion: type.apiVersion,
            kind: type.claimKind ?? type.kind,
            name: 'sample',
            namespace: 'sample-namespace',
          },
        }
      : { parameters, crossplane: selector },
  };
  const { issues, value } = validateStructural(raw, type.schema);
  return issues.length === 0 ? (value as Obj) : undefined;
}

/** A sample value for a status field of the XRD schema (enum value, bound, one-element list, every property). */
function sampleOf(schema: StructuralSchema): unknown {
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, v]) => [
          k,
          sampleOf(v),
        ]),
      );
    case 'array':
      return schema.items ? [sampleOf(schema.items)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return 'sample';
  }
}

/**
 * The composite as on a later reconcile, once its composed resources were
 * observed and their ToCompositeFieldPath patches wrote its status: every
 * status field of the XRD set to a sample value.
 */
export function observedComposite(composite: Obj, schema: StructuralSchema) {
  const status = schema.properties?.status;
  return status ? { ...composite, status: sampleOf(status) } : composite;
}

/**
 * Whether the template of a rendered resource reads the composite's status
 * (a From* patch from `status.`): only such resources render differently
 * on a later reconcile, the others as on the first one.
 */
export function readsCompositeStatus(
  render: CompositionRender,
  index: number,
): boolean {
  const resources = (render.step.input as Obj).resources;
  const template = Array.isArray(resources)
    ? (resources[index] as Obj | undefined)
    : undefined;
  const patches = Array.isArray(template?.patches)
    ? (template!.patches as Obj[])
    : [];
  return patches.some(p => {
    const sources =
      typeof p.fromFieldPath === 'string'
        ? [p.fromFieldPath]
        : ((((p.combine as Obj | undefined)?.variables as Obj[]) ?? []).map(
            v => v.fromFieldPath,
          ) as unknown[]);
    return (
      !String(p.type ?? '').startsWith('To') &&
      sources.some(f => String(f).startsWith('status.'))
    );
  });
}

/**
 * Renders a composition for one composite resource, every P&T step; when a
 * step has resources waiting for the XR's status, also as on a later
 * reconcile (observedComposite), so those resources are checked too.
 */
export function renderComposition(
  composition: CompositionInfo,
  composite: Obj,
  parameters: Obj,
): CompositionRender[] {
  const render = (c: Obj, observed: boolean) =>
    composition.steps.map(step => ({
      composition,
      step,
      parameters,
      composite: c,
      result: renderResources(step.input, c, composition.environment),
      ...(observed ? { observed } : {}),
    }));
  const first = render(composite, false);
  const waits = first.some(r => r.result.ok && r.result.waiting);
  return waits && composition.type
    ? [
        ...first,
        ...render(observedComposite(composite, composition.type.schema), true),
      ]
    : first;
}

/**
 * Renders of a composition for every parameter set, by content: rendering
 * depends only on the Composition, its XRD schema and environment, so a
 * process validating many trees (the scaffolder, the bench) renders each
 * platform once. Bounded; a pure function's memo, not state.
 */
const rendersByContent = new Map<string, CompositionRender[]>();
const MAX_CACHED_COMPOSITIONS = 500;

function rendersOf(composition: CompositionInfo): CompositionRender[] {
  if (!composition.type) return [];
  const key = JSON.stringify([
    composition.doc.file,
    composition.doc.documentIndex,
    composition.doc.value,
    composition.type.schema,
    composition.environment,
  ]);
  let renders = rendersByContent.get(key);
  if (!renders) {
    const type = composition.type;
    renders = parameterSets(type.schema, composition.labels).flatMap(
      parameters => {
        const composite = sampleComposite(composition, parameters);
        return composite
          ? renderComposition(composition, composite, parameters)
          : [];
      },
    );
    if (rendersByContent.size >= MAX_CACHED_COMPOSITIONS)
      rendersByContent.clear();
    rendersByContent.set(key, renders);
  }
  return renders;
}

/** Renders every composition of the tree for every parameter set its XRD allows (memoized). */
export function allCompositionRenders(
  context: RuleContext,
): CompositionRender[] {
  return context.memo('compositionRenders', () =>
    context.platform().compositions.flatMap(rendersOf),
  );
}
