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
     * Keep an in-memory index of every cluster's XRs and claims, current
     * through one watch per XR/claim kind, so entity trees do not list those
     * kinds. Needs list and watch on them cluster-wide; without that, turn it
     * off (trees then list the kinds with the entity's selector). Defaults to
     * true.
     */
    watchComposites?: boolean;
    /** Timeout of one Kubernetes API request, in milliseconds. Defaults to 10000. */
    requestTimeoutMs?: number;
  };
}
