import { LABEL_PART_OF, PART_OF_VALUE } from '../../constants';
import { ComposedResource, fmt, from } from './patches';

/**
 * Crossplane v2 ignores a Composition's `connectionDetails` for namespaced
 * XRs (v2 XRDs have no connectionSecretKeys): the v2 way is to compose the
 * Secret. Each managed resource with connection details writes its own
 * connection secret (`<xr>-managed-connection`, the provider's keys), and a
 * provider-kubernetes Object composes `<xr>-connection`, the Secret the
 * workloads read, with the platform's key names: secret keys copied from
 * that connection secret, plain fields from the managed resource itself
 * (`references[].patchesFrom`).
 */
export function withComposedConnectionSecret(
  resources: ComposedResource[],
): ComposedResource[] {
  return resources.flatMap(r => {
    const details = r.connectionDetails ?? [];
    const secretPatch = (r.patches ?? []).find(
      p =>
        p.toFieldPath === 'spec.writeConnectionSecretToRef.name' &&
        JSON.stringify(p.transforms) === JSON.stringify([fmt('%s-connection')]),
    );
    if (details.length === 0) return [r];
    // The kubeconfig: its readers (ProviderConfigs, attach) read the
    // managed resource's own connection secret and the provider's key.
    if (!secretPatch) return [{ ...r, connectionDetails: undefined }];
    const managedName = `%s-${r.name}`;
    const managed: ComposedResource = {
      name: r.name,
      base: r.base,
      patches: [
        ...(r.patches ?? []).map(p =>
          p === secretPatch
            ? from('metadata.name', 'spec.writeConnectionSecretToRef.name', [
                fmt('%s-managed-connection'),
              ])
            : p,
        ),
        // A fixed name, so the Secret below can read the resource's fields.
        from('metadata.name', 'metadata.name', [fmt(managedName)]),
      ],
    };
    const references = details.map(d =>
      d.type === 'FromConnectionSecretKey'
        ? {
            patchesFrom: {
              apiVersion: 'v1',
              kind: 'Secret',
              name: '',
              namespace: '',
              fieldPath: `data[${String(d.fromConnectionSecretKey)}]`,
            },
            toFieldPath: `data[${String(d.name)}]`,
          }
        : {
            patchesFrom: {
              apiVersion: r.base.apiVersion,
              kind: r.base.kind,
              name: '',
              namespace: '',
              fieldPath: String(d.fromFieldPath),
            },
            toFieldPath: `stringData[${String(d.name)}]`,
          },
    );
    const secret: ComposedResource = {
      name: `${r.name}-connection-secret`,
      base: {
        apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
        kind: 'Object',
        spec: {
          forProvider: {
            manifest: {
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: {
                name: '',
                namespace: '',
                labels: { [LABEL_PART_OF]: PART_OF_VALUE },
              },
              type: 'Opaque',
            },
          },
          references,
          providerConfigRef: {
            kind: 'ClusterProviderConfig',
            name: 'in-cluster',
          },
        },
      },
      patches: [
        from('metadata.name', 'spec.forProvider.manifest.metadata.name', [
          fmt('%s-connection'),
        ]),
        from(
          'metadata.namespace',
          'spec.forProvider.manifest.metadata.namespace',
        ),
        ...details.flatMap((d, i) => [
          from('metadata.name', `spec.references[${i}].patchesFrom.name`, [
            fmt(
              d.type === 'FromConnectionSecretKey'
                ? '%s-managed-connection'
                : managedName,
            ),
          ]),
          from(
            'metadata.namespace',
            `spec.references[${i}].patchesFrom.namespace`,
          ),
        ]),
      ],
    };
    return [managed, secret];
  });
}
