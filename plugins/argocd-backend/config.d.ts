export interface Config {
  /**
   * Argo CD instances the portal reads (plugin id `epicshelter-argocd`, keys
   * under `argocd` as in the Roadie / community plugins).
   * `instances` is this plugin's shape; `appLocatorMethods` and the top-level
   * `username`/`password` are read too, so Roadie/community plugin config works unchanged.
   */
  argocd?: {
    /**
     * Mark every answer as sandbox data (the UI shows a "Sandbox data" banner).
     * Set this when the instances are the fake Argo CD.
     */
    sandbox?: boolean;
    /**
     * How long application lists (and ApplicationSet conditions, history and
     * resource tree views) are cached, in seconds. Default 15. At 0 nothing is
     * cached and ApplicationSet conditions are not shown in lists.
     */
    listCacheTtlSeconds?: number;
    /** How many history entries (newest first) are shown with commit metadata. Default 10. */
    historyLimit?: number;
    /**
     * Fetch each instance's application list once per cache period (`fields=`
     * projection) and select every entity's applications from it in the backend,
     * instead of one `?selector=` list call per entity. Default true; only in effect
     * when `listCacheTtlSeconds` is above 0. Turn it off for instances with so many
     * applications that a full projected list is too large to cache.
     */
    sharedList?: boolean;
    /**
     * Warms the revision metadata cache in the background for the newest
     * `historyLimit` history entries of the applications an entity page lists, so the
     * history view finds the commit metadata ready.
     */
    prefetch?: {
      /** Default true. */
      enabled?: boolean;
      /** Most metadata requests running at once (all instances together). Default 4. */
      concurrency?: number;
      /** Most metadata requests waiting; more are dropped. Default 200. */
      maxQueued?: number;
    };
    /**
     * One long-lived watch per instance (`GET /api/v1/stream/applications`)
     * keeps the backend's view of the applications current: while it is
     * connected, lists, details and histories are served from it without
     * asking Argo CD, each change is published on the events service
     * (topic `epicshelter.argocd.application`) and signalled to browsers
     * (channel `epicshelter-argocd:applications`), and pages refetch.
     */
    watch?: {
      /** Default true. When false, every page load is served as without a watch (cache, then Argo CD). */
      enabled?: boolean;
      /** First delay before reconnecting a broken watch, in milliseconds; doubles on each failure. Default 1000. */
      retryMinMs?: number;
      /** Longest delay between reconnection attempts, in milliseconds. Default 30000. */
      retryMaxMs?: number;
      /** Least time between two signals of one instance, in milliseconds. Default 1000. */
      signalDebounceMs?: number;
      /** How often the current revision is signalled again (pages that missed a signal, e.g. across a backend restart, refetch), in milliseconds. Default 10000. */
      signalHeartbeatMs?: number;
    };
    /** Default timeout for each Argo CD request, in milliseconds. Default 5000. */
    timeoutMs?: number;
    /**
     * Default user for instances without token or username (Roadie compatible).
     * @visibility secret
     */
    username?: string;
    /**
     * Default password for instances without token or password (Roadie compatible).
     * @visibility secret
     */
    password?: string;
    /** Argo CD instances. */
    instances?: Array<{
      /** Unique name; matches the `argocd/instance-name` annotation. */
      name: string;
      /** Base URL of the Argo CD API server (may include a root path). */
      url: string;
      /** URL of the Argo CD UI for links, when it differs from `url`. */
      externalUrl?: string;
      /**
       * Argo CD API token (account token); used as given.
       * @visibility secret
       */
      token?: string;
      /**
       * Local user to create sessions with.
       * @visibility secret
       */
      username?: string;
      /**
       * Password of the local user.
       * @visibility secret
       */
      password?: string;
      /** Timeout for each request to this instance, in milliseconds. */
      timeoutMs?: number;
      /** This instance is a sandbox (fake) Argo CD: its answers are marked as sandbox data. */
      sandbox?: boolean;
    }>;
    /** Roadie/community compatible instance list; only `type: config` entries are read. */
    appLocatorMethods?: Array<{
      type: string;
      instances: Array<{
        name: string;
        url: string;
        /** @visibility secret */
        token?: string;
        /** @visibility secret */
        username?: string;
        /** @visibility secret */
        password?: string;
      }>;
    }>;
  };
}
