import Ajv, { ValidateFunction } from 'ajv';
import fs from 'node:fs';
import { join as joinPath } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** Folder of the vendored reference files (see `reference/PROVENANCE.md`). */
// eslint-disable-next-line no-restricted-syntax -- a private test package, only ever run from source
export const REFERENCE_DIR = joinPath(__dirname, '..', 'reference');

/** Reads a JSON file of the vendored reference folder. */
export function readReferenceJson(relativePath: string): any {
  return JSON.parse(
    fs.readFileSync(joinPath(REFERENCE_DIR, relativePath), 'utf8'),
  );
}

/** Reads a YAML file of the vendored reference folder. */
export function readReferenceYaml(relativePath: string): any {
  return parseYaml(
    fs.readFileSync(joinPath(REFERENCE_DIR, relativePath), 'utf8'),
  );
}

type Schema = Record<string, any>;

/**
 * Turns swagger definitions into a strict JSON schema: every object that lists
 * its properties rejects any other property, so nothing can carry fields
 * Argo CD never sends. `allOf` is flattened for the same reason. Protobuf
 * "raw" wrappers stay open, as real payloads carry free-form JSON there.
 */
function strictDefinitions(
  defs: Record<string, Schema>,
): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const strict = (schema: Schema): Schema => {
    if (!schema || typeof schema !== 'object') return schema;
    const copy: Schema = { ...schema };
    delete copy.title;
    delete copy.description;
    if (copy.$ref) {
      return {
        $ref: copy.$ref.replace('#/definitions/', 'argocd#/definitions/'),
      };
    }
    if (copy.allOf) {
      const props: Schema = { ...(copy.properties ?? {}) };
      for (const part of copy.allOf) {
        const name = part.$ref.replace('#/definitions/', '');
        Object.assign(props, defs[name].properties);
      }
      delete copy.allOf;
      copy.properties = props;
    }
    if (copy.properties) {
      copy.properties = Object.fromEntries(
        Object.entries(copy.properties).map(([k, v]) => [
          k,
          strict(v as Schema),
        ]),
      );
      const isRawWrapper =
        Object.keys(copy.properties).join().toLowerCase() === 'raw';
      if (copy.additionalProperties === undefined && !isRawWrapper) {
        copy.additionalProperties = false;
      }
    }
    if (copy.items) copy.items = strict(copy.items);
    if (
      copy.additionalProperties &&
      typeof copy.additionalProperties === 'object'
    ) {
      copy.additionalProperties = strict(copy.additionalProperties);
    }
    return copy;
  };
  for (const [name, def] of Object.entries(defs)) out[name] = strict(def);
  return out;
}

/** Strict validators of Argo CD's swagger definitions and operations. */
export interface ArgoCdSwagger {
  /** Argo CD's parsed swagger.json. */
  swagger: Schema;
  /** A validator of one definition, e.g. `#/definitions/v1alpha1Application` or `v1alpha1Application`. */
  validator(definition: string): ValidateFunction;
  /** Validation errors of a value against a definition, as one readable string, or undefined when valid. */
  errorsOf(definition: string, value: unknown): string | undefined;
  /** The swagger operation that serves a concrete request path. */
  operationFor(method: string, path: string): { template: string; op: Schema };
}

let loaded: ArgoCdSwagger | undefined;

/** Loads (once per process) the vendored swagger.json as strict validators. */
export function argoCdSwagger(): ArgoCdSwagger {
  if (loaded) return loaded;
  const swagger = readReferenceJson('swagger.json') as Schema;
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    formats: {
      'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
      int32: true,
      int64: true,
      uint32: true,
      uint64: true,
      byte: true,
      double: true,
      float: true,
    },
  });
  ajv.addSchema(
    { definitions: strictDefinitions(swagger.definitions) },
    'argocd',
  );
  const validators = new Map<string, ValidateFunction>();
  const validator = (definition: string) => {
    const ref = definition.startsWith('#/')
      ? definition
      : `#/definitions/${definition}`;
    let v = validators.get(ref);
    if (!v) {
      v = ajv.compile({
        $ref: ref.replace('#/definitions/', 'argocd#/definitions/'),
      });
      validators.set(ref, v);
    }
    return v;
  };
  const paths = swagger.paths as Record<string, Schema>;
  loaded = {
    swagger,
    validator,
    errorsOf(definition, value) {
      const v = validator(definition);
      return v(value) ? undefined : ajv.errorsText(v.errors);
    },
    operationFor(method, path) {
      for (const [template, ops] of Object.entries(paths)) {
        const re = new RegExp(
          `^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\//g, '\\/')}$`,
        );
        if (re.test(path) && ops[method.toLowerCase()]) {
          return { template, op: ops[method.toLowerCase()] };
        }
      }
      throw new Error(`swagger.json has no operation ${method} ${path}`);
    },
  };
  return loaded;
}

/**
 * Throws when an object is not what Argo CD could send as that definition
 * (strict: unknown fields fail), naming the object and every problem.
 */
export function assertArgoCdShape(
  definition: string,
  value: unknown,
  what: string,
): void {
  const errors = argoCdSwagger().errorsOf(definition, value);
  if (errors) {
    throw new Error(
      `${what} is not a valid Argo CD ${definition.replace(
        '#/definitions/',
        '',
      )}: ${errors}`,
    );
  }
}
