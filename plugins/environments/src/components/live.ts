import { ARGOCD_APPLICATIONS_SIGNAL_CHANNEL } from '@epicshelter/plugin-argocd-common';
import { CROSSPLANE_RESOURCES_SIGNAL_CHANNEL } from '@epicshelter/plugin-crossplane-common';
import type { LiveAsyncOptions } from '@epicshelter/plugin-crossplane-react';

/**
 * What environment pages fetch again on: a change the Argo CD or the
 * Crossplane backend signals, one fetch per second-long burst.
 */
export const ENVIRONMENT_LIVE_OPTIONS: LiveAsyncOptions = {
  channels: [
    ARGOCD_APPLICATIONS_SIGNAL_CHANNEL,
    CROSSPLANE_RESOURCES_SIGNAL_CHANNEL,
  ],
  debounceMs: 1000,
};
