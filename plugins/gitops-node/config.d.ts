export interface Config {
  /** The GitOps repository Epicshelter writes environments into. */
  gitops?: {
    /**
     * `https://github.com/<owner>/<repo>` or a local path (relative to the
     * backend's working directory).
     */
    repository: string;
    /**
     * Other repositories a template task may name in its `repository` input
     * (local paths or `https://github.com/<owner>/<repo>`), e.g. the target
     * of the "Bootstrap a GitOps repository" template. Tasks may read and
     * write only `repository` and these. Default: none.
     */
    allowedRepositories?: string[];
    /** Branch pull requests target. Default `main`. */
    defaultBranch?: string;
    /** Prefix of branches Epicshelter creates. Default `epicshelter/`. */
    branchPrefix?: string;
    /**
     * For a local repository: commit straight onto `defaultBranch`
     * (`direct`, the default) or onto a branch per environment (`branch`).
     */
    localMode?: 'direct' | 'branch';
    /** Pull request settings. */
    pullRequest?: {
      labels?: string[];
      reviewers?: string[];
      /** GitHub teams (slugs) asked to review. */
      teamReviewers?: string[];
      draft?: boolean;
    };
  };
}
