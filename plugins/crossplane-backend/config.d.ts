export interface Config {
  /** Configuration of the crossplane plugin. Clusters come from `kubernetes.clusterLocatorMethods`. */
  crossplane?: {
    /**
     * Marks the live data as sandbox data (e.g. the fake Kubernetes API of
     * packages/fake-kubernetes): the UI shows a banner saying so.
     * @visibility frontend
     */
    sandbox?: boolean;
    /**
     * Names of clusters from `kubernetes.clusterLocatorMethods` to look in when
     * an entity names none. Defaults to every configured cluster.
     */
    clusters?: string[];
    /**
     * Folder of the GitOps repository (`gitops.repository`, read at the head
     * of `gitops.defaultBranch`) holding an environment's desired Crossplane
     * resources; `{environment}` stands for the environment's name. Defaults
     * to `environments/{environment}/infrastructure`.
     */
    desiredStatePath?: string;
    /** How long a built tree is cached, in seconds; 0 turns the tree cache off. Defaults to 15. */
    cacheTtlSeconds?: number;
    /** How long the list of XRDs and API discovery results are cached, in seconds. Defaults to 300. */
    discoveryCacheTtlSeconds?: number;
    /**
     * Older name of `watch.enabled`, read when that is not set.
     * @deprecated Use `crossplane.watch.enabled`.
     */
    watchComposites?: boolean;
    /** Live updates: watches of the clusters' Crossplane objects. */
    watch?: {
      /**
       * Keep an in-memory index of every cluster's Crossplane objects (XRs
       * and claims of every XRD, and the managed resources, ProviderConfigs
       * and packages trees find), current through one list and one watch
       * per kind, started with the plugin and stopped at shutdown. Trees are
       * then built without Kubernetes requests, and each change is published
       * on the events service (topic `epicshelter.crossplane.resource`) and
       * signalled to browsers (channel `epicshelter-crossplane:resources`,
       * at most once a second per cluster). Needs list and watch on those
       * kinds cluster-wide; without that, turn it off (trees then list the
       * kinds with the entity's selector, pages do not update by
       * themselves). Defaults to true.
       */
      enabled?: boolean;
      /**
       * How often each cluster's latest change is signalled again, in
       * seconds, so that pages whose signal connection came back (a backend
       * restart) fetch what they missed; 0 turns it off. Defaults to 30.
       */
      announceSeconds?: number;
    };
    /** Timeout of one Kubernetes API request, in milliseconds. Defaults to 10000. */
    requestTimeoutMs?: number;
  };
}
