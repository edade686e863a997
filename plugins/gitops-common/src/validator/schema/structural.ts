import { evaluateRule, isTransitionRule } from './cel';
import type { SchemaIssue, StructuralSchema } from './types';

/**
 * Validates a value against a Kubernetes structural schema the way the API
 * server handles a create with `fieldValidation=Strict`:
 *
 * 1. unknown fields (not in `properties`, no `additionalProperties`, no
 *    `x-kubernetes-preserve-unknown-fields`) are errors, where the API server
 *    would otherwise prune them silently;
 * 2. `null` in a field that is not `nullable` is dropped (pruned) before
 *    defaulting; `default`s fill missing fields of the objects that exist;
 * 3. types (`x-kubernetes-int-or-string` admits integers and strings),
 *    `required`, `enum`, `pattern`, lengths, bounds, item counts, list-type
 *    uniqueness and the value-only combinators `allOf`/`anyOf`/`oneOf`/`not`;
 * 4. the CEL rules (`x-kubernetes-validations`) of every node whose subtree
 *    passed 1-3, against the defaulted value.
 *
 * Returns the issues and the defaulted value. Pure; `format` is not checked
 * (the vendored CRDs use it for documentation only).
 * @public
 */
export function validateStructural(
  value: unknown,
  schema: StructuralSchema,
  path = '',
): { issues: SchemaIssue[]; value: unknown } {
  const issues: SchemaIssue[] = [];
  const out = visit(value, schema, path, issues, true);
  return { issues, value: out };
}

function join(path: string, key: string): string {
  if (path === '') return key;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
    ? `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeMatches(v: unknown, schema: StructuralSchema): boolean {
  if (schema['x-kubernetes-int-or-string']) {
    return (
      typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))
    );
  }
  switch (schema.type) {
    case undefined:
      return true;
    case 'object':
      return isPlainObject(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    default:
      return typeof v === schema.type;
  }
}

const regexps = new Map<string, RegExp>();
function regexp(pattern: string): RegExp {
  let r = regexps.get(pattern);
  if (!r) {
    r = new RegExp(pattern, 'u');
    regexps.set(pattern, r);
  }
  return r;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/**
 * Visits one node; `strict` is false inside combinators, which constrain
 * values only (no pruning, no defaulting). Returns the node's new value;
 * `undefined` means the field is dropped.
 */
function visit(
  value: unknown,
  schema: StructuralSchema,
  path: string,
  issues: SchemaIssue[],
  strict: boolean,
): unknown {
  const add = (p: string, message: string) =>
    issues.push({ path: p || '.', message });
  if (value === null) {
    if (schema.nullable) return null;
    return strict ? undefined : value;
  }
  if (!typeMatches(value, schema)) {
    const expected = schema['x-kubernetes-int-or-string']
      ? 'integer or string'
      : schema.type;
    add(path, `must be of type ${expected}, got ${typeOf(value)}`);
    return value;
  }
  const before = issues.length;
  let result = value;

  if (isPlainObject(value)) {
    result = visitObject(value, schema, path, issues, strict);
  } else if (Array.isArray(value)) {
    result = visitArray(value, schema, path, issues, strict);
  } else {
    checkScalar(value, schema, path, add);
  }
  if (schema.enum && !schema.enum.some(e => deepEqual(e, result))) {
    add(
      path,
      `unsupported value ${JSON.stringify(
        result,
      )}: supported values: ${schema.enum
        .map(e => JSON.stringify(e))
        .join(', ')}`,
    );
  }
  for (const sub of schema.allOf ?? []) visit(result, sub, path, issues, false);
  if (schema.anyOf && !schema.anyOf.some(s => matches(result, s, path))) {
    add(path, 'must match at least one of the schemas in anyOf');
  }
  if (
    schema.oneOf &&
    schema.oneOf.filter(s => matches(result, s, path)).length !== 1
  ) {
    add(path, 'must match exactly one of the schemas in oneOf');
  }
  if (schema.not && matches(result, schema.not, path)) {
    add(path, 'must not match the schema in not');
  }

  const rules = schema['x-kubernetes-validations'];
  if (rules && strict && issues.length === before) {
    for (const rule of rules) {
      if (isTransitionRule(rule)) continue;
      const message = evaluateRule(rule, result);
      if (message !== undefined) {
        const at = rule.fieldPath
          ? `${path}${rule.fieldPath.startsWith('.') ? '' : '.'}${
              rule.fieldPath
            }`
          : path;
        issues.push({ path: at || '.', message, cel: true });
      }
    }
  }
  return result;
}

function matches(value: unknown, schema: StructuralSchema, path: string) {
  const sub: SchemaIssue[] = [];
  visit(value, schema, path, sub, false);
  return sub.length === 0;
}

function visitObject(
  value: Record<string, unknown>,
  schema: StructuralSchema,
  path: string,
  issues: SchemaIssue[],
  strict: boolean,
): Record<string, unknown> {
  const props = schema.properties ?? {};
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const p = join(path, key);
    let child: StructuralSchema | undefined;
    if (Object.prototype.hasOwnProperty.call(props, key)) child = props[key];
    else if (isPlainObject(additional)) child = additional as StructuralSchema;
    if (child) {
      const next = visit(v, child, p, issues, strict);
      if (next !== undefined) out[key] = next;
    } else if (
      additional === true ||
      preserve ||
      !strict ||
      (embedded && ['apiVersion', 'kind', 'metadata'].includes(key))
    ) {
      out[key] = v;
    } else {
      issues.push({ path: p, message: `unknown field ${JSON.stringify(key)}` });
    }
  }
  if (strict) {
    for (const [key, child] of Object.entries(props)) {
      if (out[key] === undefined && child.default !== undefined) {
        out[key] = visit(
          clone(child.default),
          child,
          join(path, key),
          [],
          true,
        );
      }
    }
  }
  for (const key of schema.required ?? []) {
    if (out[key] === undefined) {
      issues.push({
        path: join(path, key),
        message: 'required value is missing',
      });
    }
  }
  const n = Object.keys(out).length;
  if (schema.maxProperties !== undefined && n > schema.maxProperties) {
    issues.push({
      path: path || '.',
      message: `must have at most ${schema.maxProperties} properties`,
    });
  }
  if (schema.minProperties !== undefined && n < schema.minProperties) {
    issues.push({
      path: path || '.',
      message: `must have at least ${schema.minProperties} properties`,
    });
  }
  return out;
}

function visitArray(
  value: unknown[],
  schema: StructuralSchema,
  path: string,
  issues: SchemaIssue[],
  strict: boolean,
): unknown[] {
  const out = schema.items
    ? value.map((v, i) =>
        visit(v, schema.items!, `${path}[${i}]`, issues, strict),
      )
    : value;
  if (schema.maxItems !== undefined && out.length > schema.maxItems) {
    issues.push({
      path,
      message: `must have at most ${schema.maxItems} items`,
    });
  }
  if (schema.minItems !== undefined && out.length < schema.minItems) {
    issues.push({
      path,
      message: `must have at least ${schema.minItems} items`,
    });
  }
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set' || listType === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    out.forEach((item, i) => {
      const key = JSON.stringify(
        listType === 'map' && isPlainObject(item)
          ? keys.map(k => item[k])
          : item,
      );
      if (seen.has(key)) {
        issues.push({
          path: `${path}[${i}]`,
          message: `duplicate entry ${key}`,
        });
      }
      seen.add(key);
    });
  }
  return out;
}

function checkScalar(
  value: unknown,
  schema: StructuralSchema,
  path: string,
  add: (p: string, message: string) => void,
) {
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      add(path, `may not be longer than ${schema.maxLength}`);
    }
    if (schema.minLength !== undefined && length < schema.minLength) {
      add(path, `should be at least ${schema.minLength} chars long`);
    }
    if (schema.pattern !== undefined && !regexp(schema.pattern).test(value)) {
      add(path, `should match ${JSON.stringify(schema.pattern)}`);
    }
  } else if (typeof value === 'number') {
    const { maximum, minimum, multipleOf } = schema;
    if (
      maximum !== undefined &&
      (schema.exclusiveMaximum ? value >= maximum : value > maximum)
    ) {
      add(
        path,
        `should be less than${
          schema.exclusiveMaximum ? '' : ' or equal to'
        } ${maximum}`,
      );
    }
    if (
      minimum !== undefined &&
      (schema.exclusiveMinimum ? value <= minimum : value < minimum)
    ) {
      add(
        path,
        `should be greater than${
          schema.exclusiveMinimum ? '' : ' or equal to'
        } ${minimum}`,
      );
    }
    if (multipleOf !== undefined && value % multipleOf !== 0) {
      add(path, `should be a multiple of ${multipleOf}`);
    }
  }
}
