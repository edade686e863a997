import type { Provider } from '../../offerings';
import { awsCompositions } from './aws';
import { azureCompositions } from './azure';
import { gcpCompositions } from './gcp';
import { localCompositions } from './local';
import type { ProviderCompositions } from './types';

/**
 * The Compositions of every provider, one module each. A provider is added
 * by writing its module and registering it here; nothing else switches on
 * the provider.
 */
export const PROVIDER_COMPOSITIONS: Readonly<
  Record<Provider, ProviderCompositions>
> = {
  local: localCompositions,
  aws: awsCompositions,
  gcp: gcpCompositions,
  azure: azureCompositions,
};
