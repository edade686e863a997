import { managedCrd } from './builders';
import type { FakeCondition } from './builders';
import type { KubeObject } from './types';

/*
 * Shapes follow Crossplane's package manager API (pkg.crossplane.io/v1):
 * crossplane/crossplane cluster/crds/pkg.crossplane.io_providers.yaml and
 * pkg.crossplane.io_providerrevisions.yaml (Provider: spec.package,
 * status.currentRevision/currentIdentifier/conditions Installed and
 * Healthy; ProviderRevision: spec.desiredState/image/revision,
 * status.objectRefs of the CRDs it installed, conditions Healthy), and the
 * ProviderConfig CRDs of crossplane-contrib/provider-upjet-aws v2.0.0
 * (spec.credentials.source/secretRef, status.users).
 */

const T0 = '2026-01-10T08:55:00Z';

/** Installed and Healthy as the package manager writes them for a healthy provider. @public */
export function packageHealthy(): FakeCondition[] {
  return [
    {
      type: 'Installed',
      status: 'True',
      reason: 'ActivePackageRevision',
      lastTransitionTime: T0,
    },
    {
      type: 'Healthy',
      status: 'True',
      reason: 'HealthyPackageRevision',
      lastTransitionTime: T0,
    },
  ];
}

/** Installed, but its revision is unhealthy, with the package manager's message. @public */
export function packageUnhealthy(message: string): FakeCondition[] {
  return [
    {
      type: 'Installed',
      status: 'True',
      reason: 'ActivePackageRevision',
      lastTransitionTime: T0,
    },
    {
      type: 'Healthy',
      status: 'False',
      reason: 'UnhealthyPackageRevision',
      message,
      lastTransitionTime: '2026-01-10T09:12:40Z',
    },
  ];
}

/** What {@link providerPackage} builds. @public */
export interface FakeProviderOptions {
  /** Provider name, e.g. `upbound-provider-family-aws`. */
  name: string;
  /** OCI reference, e.g. `xpkg.crossplane.io/crossplane-contrib/provider-family-aws:v2.0.0`. */
  image: string;
  /** CRDs the active revision installed (name `<plural>.<group>`). */
  crds: KubeObject[];
  conditions?: FakeCondition[];
}

/**
 * A Provider and its active ProviderRevision, whose `status.objectRefs`
 * lists the CRDs it installed, plus those CRDs.
 * @public
 */
export function providerPackage(o: FakeProviderOptions): KubeObject[] {
  const conditions = o.conditions ?? packageHealthy();
  const revisionName = `${o.name}-a1b2c3d4e5f6`;
  const provider: KubeObject = {
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'Provider',
    metadata: { name: o.name, uid: `uid-provider-${o.name}` },
    spec: {
      package: o.image,
      revisionActivationPolicy: 'Automatic',
      revisionHistoryLimit: 1,
    },
    status: {
      currentIdentifier: o.image,
      currentRevision: revisionName,
      conditions,
    },
  };
  const revision: KubeObject = {
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'ProviderRevision',
    metadata: {
      name: revisionName,
      labels: { 'pkg.crossplane.io/package': o.name },
      ownerReferences: [
        {
          apiVersion: 'pkg.crossplane.io/v1',
          kind: 'Provider',
          name: o.name,
          uid: `uid-provider-${o.name}`,
          controller: true,
        },
      ],
    },
    spec: { desiredState: 'Active', image: o.image, revision: 1 },
    status: {
      conditions: conditions.filter(c => c.type === 'Healthy'),
      objectRefs: o.crds.map(crd => ({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: crd.metadata.name,
      })),
    },
  };
  return [...o.crds, provider, revision];
}

/**
 * The CRD of a provider's ProviderConfig kind (`ProviderConfig`,
 * `ClusterProviderConfig`), `v1beta1`.
 * @public
 */
export function providerConfigCrd(
  group: string,
  kind: 'ProviderConfig' | 'ClusterProviderConfig',
  namespaced: boolean,
): KubeObject {
  return managedCrd(group, kind, `${kind.toLowerCase()}s`, namespaced);
}

/**
 * A ProviderConfig taking its credentials from a Secret (by reference; the
 * Secret is never read), used by `users` managed resources.
 * @public
 */
export function providerConfig(o: {
  apiVersion: string;
  kind: 'ProviderConfig' | 'ClusterProviderConfig';
  name: string;
  namespace?: string;
  users: number;
}): KubeObject {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: {
      name: o.name,
      ...(o.namespace ? { namespace: o.namespace } : {}),
    },
    spec: {
      credentials: {
        source: 'Secret',
        secretRef: {
          namespace: 'crossplane-system',
          name: 'aws-credentials',
          key: 'credentials',
        },
      },
    },
    status: { users: o.users },
  };
}
