export interface Config {
  epicshelter?: {
    environments?: {
      /**
       * The Argo CD instance (a name in `argocd.instances`) of the cluster
       * each target runs on, e.g. `{ local: local, cloud: cloud }` (the
       * default). An environment's page links only the instance of its
       * target, and a cloud environment is self-managed once that instance
       * runs its applications.
       */
      argocdInstances?: { [target: string]: string };
      /**
       * Time to live of ephemeral environments. Values are a whole number
       * and a unit: m, h, d or w (e.g. 4h, 1d, 7d).
       */
      ttl?: {
        /** Longest time to live, and the furthest an extension may reach from now. Default 30d. */
        max?: string;
        /** Time to live of an environment created without one; unset: it does not expire. */
        default?: string;
        /** When set, the only values a creation or an extension may ask for. */
        allowed?: string[];
        /** How long before expiry owners are notified. Default [1d, 1h]. */
        warnBefore?: string[];
        /**
         * What happens at expiry: `decommission` starts the decommission
         * template for the environment; `notify` only notifies its owner.
         * Default `decommission`.
         */
        onExpiry?: 'decommission' | 'notify';
        /** Template started for an expired environment. Default template:default/decommission-environment. */
        decommissionTemplate?: string;
        /** How often the backend looks for expiring environments. Default 5m. */
        checkEvery?: string;
      };
      /**
       * Notifications to an environment's owner when one of its Argo CD
       * applications is Degraded or its sync failed, or a Crossplane resource
       * stays not Ready; one per incident and one when it recovers. Durations
       * are a whole number and a unit: m, h, d or w.
       */
      notifications?: {
        /** False: no incident check is scheduled. Default true. */
        enabled?: boolean;
        /** How often the backend checks every environment's status. Default 1m. */
        checkEvery?: string;
        /** How long a Crossplane resource may stay not Ready before its owner is notified. Default 10m. */
        crossplaneGracePeriod?: string;
        /**
         * How long after an Argo CD or Crossplane change event (or an Argo CD
         * notification) the changed environment is checked; changes within it
         * are checked together. A duration such as `2s` or `PT2S`. Default 2s.
         */
        liveCheckDelay?: string;
        /** Argo CD Notifications webhook (`POST /api/environments/argocd-notifications`). */
        argocdWebhook?: {
          /**
           * Shared secret Argo CD sends as `Authorization: Bearer <secret>`;
           * without it the route does not exist.
           * @visibility secret
           */
          secret?: string;
        };
      };
    };
  };
}
