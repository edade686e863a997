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
    };
  };
}
