export interface Config {
  /** The GitOps repository Epicshelter writes environments into. */
  gitops?: {
    /**
     * `https://github.com/<owner>/<repo>` or a local path (relative to the
     * backend's working directory).
     */
    repository: string;
    /** Branch pull requests target. Default `main`. */
    defaultBranch?: string;
    /** Prefix of branches Epicshelter creates. Default `epicshelter/`. */
    branchPrefix?: string;
    /** Pull request settings. */
    pullRequest?: {
      labels?: string[];
      reviewers?: string[];
      draft?: boolean;
    };
  };
}
