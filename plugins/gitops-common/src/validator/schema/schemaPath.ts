import type { Segment } from '../composition/fieldPath';
import { formatFieldPath } from '../composition/fieldPath';
import type { StructuralSchema } from './types';

/** The schema at a field path, or why the path leaves the schema. */
export type SchemaAt =
  | { ok: true; schema: StructuralSchema | undefined }
  | { ok: false; message: string };

/**
 * Resolves a field path in a structural schema: fields through `properties`
 * (or `additionalProperties` for maps), indexes through `items`. Inside
 * `x-kubernetes-preserve-unknown-fields` anything goes (`schema` undefined).
 */
export function schemaAt(
  root: StructuralSchema,
  segments: Segment[],
): SchemaAt {
  let cur: StructuralSchema | undefined = root;
  for (const [i, s] of segments.entries()) {
    if (cur === undefined) return { ok: true, schema: undefined };
    const here = formatFieldPath(segments.slice(0, i + 1));
    if (typeof s === 'number') {
      if (cur.type === 'array') {
        cur = cur.items;
        continue;
      }
      if (
        cur['x-kubernetes-preserve-unknown-fields'] &&
        cur.type === undefined
      ) {
        return { ok: true, schema: undefined };
      }
      return {
        ok: false,
        message: `${here}: ${
          formatFieldPath(segments.slice(0, i)) || 'the object'
        } is ${describe(cur)} in the schema, not a list`,
      };
    }
    if (cur.type !== undefined && cur.type !== 'object') {
      return {
        ok: false,
        message: `${here}: ${formatFieldPath(
          segments.slice(0, i),
        )} is ${describe(cur)} in the schema, not an object`,
      };
    }
    const props: Record<string, StructuralSchema> | undefined = cur.properties;
    if (props && Object.prototype.hasOwnProperty.call(props, s)) {
      cur = props[s];
    } else if (typeof cur.additionalProperties === 'object') {
      cur = cur.additionalProperties;
    } else if (
      cur.additionalProperties === true ||
      cur['x-kubernetes-preserve-unknown-fields']
    ) {
      return { ok: true, schema: undefined };
    } else {
      return {
        ok: false,
        message: `${here}: field ${JSON.stringify(
          s,
        )} does not exist in the schema`,
      };
    }
  }
  return { ok: true, schema: cur };
}

function describe(schema: StructuralSchema): string {
  if (schema.type === 'array') return 'a list';
  if (schema.type === 'object') return 'an object';
  return schema.type ? `a ${schema.type}` : 'a value';
}
