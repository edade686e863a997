/** One file a commit of the GitOps repository changed. @public */
export interface GitOpsCommitFile {
  /** Path inside the repository. */
  path: string;
  change: 'added' | 'modified' | 'deleted';
  /** Lines the commit added to the file (0 for a binary file). */
  additions: number;
  /** Lines the commit removed from the file (0 for a binary file). */
  deletions: number;
}

/**
 * A commit of the GitOps repository (local, GitHub or GitLab) as the
 * portal's commit page shows it (`GET /api/environments/commits/:sha`):
 * what `git show --stat` tells, without any path of the server.
 * @public
 */
export interface GitOpsCommitDetails {
  sha: string;
  /** First line of the message. */
  subject: string;
  /** The rest of the message (trailers included), trimmed. */
  body: string;
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  parents: string[];
  files: GitOpsCommitFile[];
  /** True when the commit changed more files than `files` lists (a host or portal limit). */
  filesTruncated?: boolean;
}

/** Path of the portal page that shows a commit of the GitOps repository. @public */
export function gitOpsCommitPagePath(sha: string): string {
  return `/gitops/commits/${encodeURIComponent(sha)}`;
}
