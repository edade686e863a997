type Schema = Record<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Turns a Kubernetes structural OpenAPI v3 schema into a JSON schema for ajv
 * that rejects fields the schema does not define (as `kubectl --validate=strict`
 * does), except where `x-kubernetes-preserve-unknown-fields` allows them.
 * `x-kubernetes-int-or-string` becomes `anyOf: [integer, string]`,
 * `x-kubernetes-embedded-resource` adds apiVersion/kind/metadata, and other
 * `x-kubernetes-*` extensions (list types, CEL validations) are dropped.
 */
/**
 * (exported as `kubernetesSchemaToJsonSchema`)
 * @public
 */
export function strictStructuralSchema(
  input: unknown,
): Record<string, unknown> {
  if (!isObject(input)) {
    return {};
  }
  const out: Schema = {};
  const preserve = input['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = input['x-kubernetes-int-or-string'] === true;
  const embedded = input['x-kubernetes-embedded-resource'] === true;
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith('x-kubernetes-') || key === 'description') {
      continue;
    }
    switch (key) {
      case 'properties': {
        const props: Schema = {};
        for (const [p, s] of Object.entries(isObject(value) ? value : {})) {
          props[p] = strictStructuralSchema(s);
        }
        out.properties = props;
        break;
      }
      case 'items':
      case 'not':
        out[key] = strictStructuralSchema(value);
        break;
      case 'additionalProperties':
        out[key] =
          typeof value === 'boolean' ? value : strictStructuralSchema(value);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[key] = Array.isArray(value)
          ? value.map(v => {
              // Sub-schemas of combinators only constrain values; strictness is
              // decided by the parent, as in Kubernetes structural schemas.
              const s = strictStructuralSchema(v);
              delete s.additionalProperties;
              return s;
            })
          : value;
        break;
      default:
        out[key] = value;
    }
  }
  if (intOrString) {
    delete out.type;
    const intOrStr = [{ type: 'integer' }, { type: 'string' }];
    if (out.anyOf === undefined) {
      out.anyOf = intOrStr;
    } else {
      out.allOf = [...((out.allOf as Schema[]) ?? []), { anyOf: intOrStr }];
    }
  }
  if (embedded) {
    const props = (out.properties as Schema | undefined) ?? {};
    out.properties = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...props,
    };
  }
  const isObjectType =
    out.type === 'object' ||
    (out.type === undefined && isObject(out.properties));
  if (isObjectType && !preserve && out.additionalProperties === undefined) {
    out.additionalProperties = false;
    if (out.properties === undefined) {
      // `type: object` without properties and without preserve-unknown-fields
      // only admits `{}` in Kubernetes; keep that strictness.
      out.properties = {};
    }
  }
  if (out.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    delete out.nullable;
  }
  return out;
}

const anything: Schema = {};
const ref: Schema = { type: 'object' };

/** Fields Crossplane adds to the spec of each kind of composite or claim. */
export const CROSSPLANE_SPEC_FIELDS: Record<
  'namespaced' | 'legacyComposite' | 'claim',
  Record<string, Schema>
> = {
  // Crossplane v2 XRs (scope Namespaced or Cluster) keep Crossplane's own
  // fields under spec.crossplane.
  namespaced: {
    crossplane: {
      type: 'object',
      additionalProperties: false,
      properties: {
        compositionRef: ref,
        compositionSelector: ref,
        compositionRevisionRef: ref,
        compositionRevisionSelector: ref,
        compositionUpdatePolicy: { type: 'string' },
        resourceRefs: { type: 'array' },
      },
    },
  },
  legacyComposite: {
    compositionRef: ref,
    compositionSelector: ref,
    compositionRevisionRef: ref,
    compositionRevisionSelector: ref,
    compositionUpdatePolicy: { type: 'string' },
    claimRef: ref,
    environmentConfigRefs: { type: 'array' },
    resourceRefs: { type: 'array' },
    writeConnectionSecretToRef: ref,
    publishConnectionDetailsTo: anything,
  },
  claim: {
    compositionRef: ref,
    compositionSelector: ref,
    compositionRevisionRef: ref,
    compositionRevisionSelector: ref,
    compositionUpdatePolicy: { type: 'string' },
    compositeDeletePolicy: { type: 'string' },
    resourceRef: ref,
    writeConnectionSecretToRef: ref,
    publishConnectionDetailsTo: anything,
  },
};

/** Builds the full object schema of an XR or claim from its XRD version schema. */
export function compositeObjectSchema(
  openAPIV3Schema: unknown,
  style: keyof typeof CROSSPLANE_SPEC_FIELDS,
): Schema {
  const root = strictStructuralSchema(openAPIV3Schema ?? { type: 'object' });
  const props = { ...((root.properties as Schema | undefined) ?? {}) };
  const spec = {
    ...((props.spec as Schema | undefined) ?? { type: 'object' }),
  };
  if (spec.additionalProperties === false || spec.properties !== undefined) {
    spec.properties = {
      ...((spec.properties as Schema | undefined) ?? {}),
      ...CROSSPLANE_SPEC_FIELDS[style],
    };
  }
  return {
    ...root,
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata'],
    additionalProperties: false,
    properties: {
      ...props,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' } },
      },
      spec,
      status: { type: 'object' },
    },
  };
}
