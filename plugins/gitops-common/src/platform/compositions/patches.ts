/*
 * Building blocks of the platform's patch-and-transform Compositions,
 * shared by every provider's module.
 */

/** A plain object of a manifest. */
export type Obj = Record<string, unknown>;

/** Crossplane API style a composition serves. */
export type Style = 'v2' | 'v1';

export const from = (
  fromFieldPath: string,
  toFieldPath: string,
  transforms?: Obj[],
): Obj => ({
  type: 'FromCompositeFieldPath',
  fromFieldPath,
  toFieldPath,
  ...(transforms ? { transforms } : {}),
});
export const fromEnv = (
  fromFieldPath: string,
  toFieldPath: string,
  transforms?: Obj[],
): Obj => ({
  type: 'FromEnvironmentFieldPath',
  fromFieldPath,
  toFieldPath,
  ...(transforms ? { transforms } : {}),
});
export const map = (m: Record<string, string | number | boolean>): Obj => ({
  type: 'map',
  map: m,
});
export const fmt = (f: string): Obj => ({
  type: 'string',
  string: { type: 'Format', fmt: f },
});
export const combine = (
  fromFieldPaths: string[],
  f: string,
  toFieldPath: string,
  transforms?: Obj[],
): Obj => ({
  type: 'CombineFromComposite',
  combine: {
    variables: fromFieldPaths.map(p => ({ fromFieldPath: p })),
    strategy: 'string',
    string: { fmt: f },
  },
  toFieldPath,
  ...(transforms ? { transforms } : {}),
});

/**
 * Managed resource apiVersion: `<svc>.<provider>.m.upbound.io` for v2,
 * without `.m` for v1; an empty service is the provider's own group
 * (`azure.m.upbound.io`: ResourceGroup).
 */
export function mrApi(
  style: Style,
  service: string,
  family: string,
  version = 'v1beta1',
): string {
  return `${service ? `${service}.` : ''}${family}${
    style === 'v2' ? '.m' : ''
  }.upbound.io/${version}`;
}

/**
 * A nested block of an upjet kind: an object in the namespaced v1beta1 kinds
 * (`*.m.upbound.io`), a one-element list in the legacy cluster-scoped
 * v1beta1 kinds.
 */
export function block(style: Style, value: Obj): Obj | Obj[] {
  return style === 'v2' ? value : [value];
}

/** Field path into a {@link block}: `settings` or `settings[0]`. */
export function inBlock(style: Style, field: string): string {
  return style === 'v2' ? field : `${field}[0]`;
}

/** A boolean as the string a `map` transform accepts (`true`/`false`), then mapped. */
export const boolMap = (
  m: Record<'true' | 'false', string | number | boolean>,
) => [{ type: 'convert', convert: { toType: 'string' } }, map(m)];

export function providerConfigRef(style: Style, name = 'default'): Obj {
  return style === 'v2' ? { kind: 'ClusterProviderConfig', name } : { name };
}

/** One entry of a patch-and-transform step's resources. */
export interface ComposedResource {
  name: string;
  base: Obj;
  patches?: Obj[];
  connectionDetails?: Obj[];
}

/** Connection secret handling differs: v2 MRs write into the XR namespace, v1 into crossplane-system. */
export function withConnectionSecret(
  style: Style,
  r: ComposedResource,
  suffix: string,
): ComposedResource {
  const v2 = style === 'v2';
  return {
    ...r,
    base: {
      ...r.base,
      spec: {
        ...((r.base.spec ?? {}) as Obj),
        writeConnectionSecretToRef: v2
          ? { name: '' }
          : { namespace: 'crossplane-system', name: '' },
      },
    },
    patches: [
      ...(r.patches ?? []),
      from(
        v2 ? 'metadata.name' : 'metadata.uid',
        'spec.writeConnectionSecretToRef.name',
        [fmt(`%s-${suffix}`)],
      ),
    ],
  };
}

/**
 * A connection detail copied from the composed resource's connection
 * secret. Upjet writes there the keys of the provider's
 * AdditionalConnectionDetailsFn plus `attribute.<name>` of sensitive
 * attributes only (validator/composition/chartSecrets.ts lists them).
 */
export const conn = (name: string, fromConnectionSecretKey = name): Obj => ({
  name,
  type: 'FromConnectionSecretKey',
  fromConnectionSecretKey,
});
/** A connection detail read from the observed composed resource (non-sensitive values). */
export const connFromField = (name: string, fromFieldPath: string): Obj => ({
  name,
  type: 'FromFieldPath',
  fromFieldPath,
});
