import {
  ComposedResource,
  Obj,
  Style,
  fmt,
  from,
  inBlock,
  mrApi,
  providerConfigRef,
  withConnectionSecret,
} from './patches';

/*
 * The provider-neutral shape of a cloud managed resource (an upjet kind of
 * provider-upjet-aws, -gcp or -azure) in a Composition: its apiVersion for
 * the API style, the default ProviderConfig, the XR's region in its region
 * field, its connection secret. Each provider module gives only what
 * differs: the kind, its fields and its own patches.
 */

/** A cloud provider family of upjet kinds (`<service>.<family>.upbound.io`). */
export type UpjetFamily = 'aws' | 'gcp' | 'azure';

/** What a provider module says about one managed resource. */
export interface ManagedResource {
  /** The template's name in the Composition. */
  name: string;
  /** The kind's service (`rds`, `container`, ...): `<service>.<family>[.m].upbound.io`. */
  service: string;
  kind: string;
  /** The forProvider field that receives the XR's region (first field, first patch). */
  regionField?: 'region' | 'location';
  forProvider: Obj;
  patches?: Obj[];
  connectionDetails?: Obj[];
  /** Writes its connection secret `<name>-<suffix>` (see withConnectionSecret). */
  connectionSecret?: 'connection' | 'kubeconfig';
}

/** Builds one managed resource of a provider family for an API style. */
export function managedResource(
  family: UpjetFamily,
  style: Style,
  r: ManagedResource,
): ComposedResource {
  const region = r.regionField;
  const patches = [
    ...(region
      ? [from('spec.parameters.region', `spec.forProvider.${region}`)]
      : []),
    ...(r.patches ?? []),
  ];
  const resource: ComposedResource = {
    name: r.name,
    base: {
      apiVersion: mrApi(style, r.service, family),
      kind: r.kind,
      spec: {
        forProvider: region
          ? { [region]: '', ...r.forProvider }
          : r.forProvider,
        providerConfigRef: providerConfigRef(style),
      },
    },
    ...(patches.length > 0 ? { patches } : {}),
    ...(r.connectionDetails ? { connectionDetails: r.connectionDetails } : {}),
  };
  return r.connectionSecret
    ? withConnectionSecret(style, resource, r.connectionSecret)
    : resource;
}

/** A provider family's builder: `managed(style, resource)`. */
export const managedResources =
  (family: UpjetFamily) =>
  (style: Style, r: ManagedResource): ComposedResource =>
    managedResource(family, style, r);

/** The path of a field inside a nested block of forProvider (see `block`). */
export const blockField = (style: Style, blockName: string, field: string) =>
  `spec.forProvider.${inBlock(style, blockName)}.${field}`;

/**
 * A password the provider generates into the Secret `<xr>-password` (key
 * `password`): the secret reference for forProvider and the patch that
 * names it after the XR.
 */
export function generatedPassword(
  style: Style,
  field: string,
): { ref: Obj; patch: Obj } {
  return {
    ref: {
      key: 'password',
      name: '',
      ...(style === 'v1' ? { namespace: 'crossplane-system' } : {}),
    },
    patch: from(
      style === 'v2' ? 'metadata.name' : 'metadata.uid',
      `spec.forProvider.${field}.name`,
      [fmt('%s-password')],
    ),
  };
}
