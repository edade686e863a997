import Ajv from 'ajv';
import { referenceObject } from '../reference';

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

/** Objects with `properties` reject unknown fields, as structural pruning would drop them. */
export function strict(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) out[k] = strict(v);
  if (
    schema.type === 'object' &&
    schema.properties &&
    !schema['x-kubernetes-preserve-unknown-fields'] &&
    schema.additionalProperties === undefined
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/** The strict schema of one version of a CRD object. */
export function schemaOf(crd: any, version: string) {
  const v = crd.spec.versions.find((x: any) => x.name === version);
  if (!v) throw new Error(`${crd.metadata.name} has no version ${version}`);
  return strict(v.schema.openAPIV3Schema);
}

/** The strict schema of a vendored Crossplane core CRD (`reference/crossplane/crds/<file>`). */
export function crdSchema(file: string, version: string) {
  return schemaOf(referenceObject(`crossplane/crds/${file}`), version);
}

/** Throws with every schema error when `obj` does not validate. */
export function validate(schema: object, obj: unknown, what: string) {
  const ok = ajv.validate(schema, obj);
  if (!ok) {
    throw new Error(
      `${what} invalid: ${ajv.errorsText(ajv.errors, { separator: '\n' })}`,
    );
  }
}
