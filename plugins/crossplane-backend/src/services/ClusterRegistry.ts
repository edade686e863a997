import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AnonymousStrategy,
  AwsIamStrategy,
  AzureIdentityStrategy,
  DispatchStrategy,
  GoogleServiceAccountStrategy,
  ServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
} from '@backstage/plugin-kubernetes-common';
import type {
  AuthenticationStrategy,
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';

/**
 * Auth providers usable without a signed-in user's cluster token. The
 * others (google, oidc, aks, pinniped) need a token the browser sends to the
 * kubernetes plugin; the crossplane backend reads clusters with the
 * backend's own identity, so they are rejected with a clear message.
 */
const SERVER_SIDE_PROVIDERS = [
  'serviceAccount',
  'localKubectlProxy',
  'aws',
  'azure',
  'googleServiceAccount',
];

/**
 * The clusters of the standard `kubernetes.clusterLocatorMethods` config
 * (`type: config` and `type: localKubectlProxy`) with their credentials.
 *
 * The kubernetes plugin's cluster supplier is only reachable through its own
 * extension points (kubernetes-node offers no service ref), so the same
 * config keys are read here, the way its ConfigClusterLocator reads them,
 * and credentials come from the kubernetes backend's exported
 * authentication strategies.
 */
export class ClusterRegistry {
  static fromConfig(
    config: Config,
    deps: { logger: LoggerService },
  ): ClusterRegistry {
    const clusters: ClusterDetails[] = [];
    const methods =
      config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
    for (const method of methods) {
      const type = method.getString('type');
      if (type === 'config') {
        for (const c of method.getOptionalConfigArray('clusters') ?? []) {
          const name = c.getString('name');
          const authMetadataBlock =
            c.getOptional<Record<string, string>>('authMetadata') ?? {};
          const authProvider =
            authMetadataBlock[ANNOTATION_KUBERNETES_AUTH_PROVIDER] ??
            c.getOptionalString('authProvider');
          if (!authProvider) {
            throw new InputError(
              `kubernetes cluster '${name}' has no authProvider; set kubernetes.clusterLocatorMethods[].clusters[].authProvider`,
            );
          }
          const serviceAccountToken = c.getOptionalString(
            'serviceAccountToken',
          );
          const assumeRole = c.getOptionalString('assumeRole');
          const externalId = c.getOptionalString('externalId');
          clusters.push({
            name,
            title: c.getOptionalString('title'),
            url: c.getString('url'),
            skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
            caData: c.getOptionalString('caData'),
            caFile: c.getOptionalString('caFile'),
            authMetadata: {
              [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: authProvider,
              ...(serviceAccountToken ? { serviceAccountToken } : {}),
              ...(assumeRole
                ? { [ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE]: assumeRole }
                : {}),
              ...(externalId
                ? { [ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID]: externalId }
                : {}),
              ...authMetadataBlock,
            },
          });
        }
      } else if (type === 'localKubectlProxy') {
        clusters.push({
          name: 'local',
          url: 'http://127.0.0.1:8001',
          authMetadata: {
            [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'localKubectlProxy',
          },
          skipMetricsLookup: true,
        });
      } else {
        deps.logger.warn(
          `crossplane: kubernetes.clusterLocatorMethods type '${type}' is not supported by the crossplane plugin and is ignored; use type 'config'`,
        );
      }
    }
    const only = config.getOptionalStringArray('crossplane.clusters');
    if (only) {
      const unknown = only.filter(n => !clusters.some(c => c.name === n));
      if (unknown.length) {
        throw new InputError(
          `crossplane.clusters names unknown cluster(s) ${unknown.join(
            ', ',
          )}; known: ${clusters.map(c => c.name).join(', ') || 'none'}`,
        );
      }
    }
    const auth = new DispatchStrategy({
      authStrategyMap: {
        serviceAccount: new ServiceAccountStrategy(),
        localKubectlProxy: new AnonymousStrategy(),
        aws: new AwsIamStrategy({ config }),
        azure: new AzureIdentityStrategy(deps.logger),
        googleServiceAccount: new GoogleServiceAccountStrategy({ config }),
      },
    });
    return new ClusterRegistry(clusters, only, auth);
  }

  private constructor(
    private readonly clusters: ClusterDetails[],
    private readonly defaults: string[] | undefined,
    private readonly auth: AuthenticationStrategy,
  ) {}

  /** All configured clusters. */
  all(): ClusterDetails[] {
    return this.clusters;
  }

  /**
   * The clusters to query: those named (unknown names are an InputError),
   * else `crossplane.clusters`, else all.
   */
  select(names: string[] | undefined): ClusterDetails[] {
    if (names && names.length) {
      return names.map(n => {
        const c = this.clusters.find(x => x.name === n);
        if (!c) {
          throw new InputError(
            `Cluster '${n}' named by the entity is not in kubernetes.clusterLocatorMethods; known clusters: ${
              this.clusters.map(x => x.name).join(', ') || 'none'
            }`,
          );
        }
        return c;
      });
    }
    if (this.defaults) {
      return this.clusters.filter(c => this.defaults!.includes(c.name));
    }
    return this.clusters;
  }

  /** Credential for a cluster, from the kubernetes backend's auth strategies. */
  async credential(cluster: ClusterDetails): Promise<KubernetesCredential> {
    const provider = cluster.authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
    if (!SERVER_SIDE_PROVIDERS.includes(provider)) {
      throw new InputError(
        `Cluster '${
          cluster.name
        }' uses authProvider '${provider}', which needs a signed-in user's cluster token; the crossplane plugin reads clusters with the backend's identity and supports ${SERVER_SIDE_PROVIDERS.join(
          ', ',
        )}`,
      );
    }
    const token = cluster.authMetadata.serviceAccountToken;
    if (provider === 'serviceAccount' && token) {
      // What ServiceAccountStrategy returns for a configured token, without
      // its eager dynamic import of @kubernetes/client-node (only needed for
      // the in-cluster token file).
      return { type: 'bearer token', token };
    }
    return this.auth.getCredential(cluster, {});
  }
}
