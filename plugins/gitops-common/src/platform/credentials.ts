import type { CloudProvider } from '../offerings';

/** Namespace of the cloud credential Secrets the platform's ProviderConfigs read. */
export const CLOUD_CREDENTIALS_NAMESPACE = 'crossplane-system';
/** Key of the credentials inside each of those Secrets. */
export const CLOUD_CREDENTIALS_KEY = 'credentials';

/**
 * Name of the Secret holding a cloud provider's credentials in
 * `crossplane-system` (never in Git): the platform's ProviderConfigs read it
 * in every cluster, and the bootstrap copies it into each new cloud cluster.
 */
export function cloudCredentialsSecretName(provider: CloudProvider): string {
  return `${provider}-credentials`;
}
