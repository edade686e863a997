/**
 * The fields of GitLab REST API v4 responses this module reads, as GitLab's
 * API documentation describes them (docs.gitlab.com/api: projects,
 * branches, repository files, repositories/compare, commits, merge
 * requests, users). GitLab publishes no complete OpenAPI description of
 * these endpoints, so they are written from the documented fields.
 */

/** `GET /projects/:id`. */
export interface GitlabProject {
  id: number;
  path_with_namespace: string;
  default_branch: string | null;
  web_url: string;
}

/** A commit as branches, commits and compare return it. */
export interface GitlabCommit {
  id: string;
  short_id: string;
  title: string;
  message: string;
  parent_ids: string[];
  author_name: string;
  author_email: string;
  committer_name: string;
  committer_email: string;
  web_url: string;
}

/** `GET /projects/:id/repository/branches/:branch`. */
export interface GitlabBranch {
  name: string;
  commit: GitlabCommit;
  protected: boolean;
  default: boolean;
  web_url: string;
}

/** One entry of `diffs` of `GET /projects/:id/repository/compare`. */
export interface GitlabDiff {
  old_path: string;
  new_path: string;
  new_file: boolean;
  renamed_file: boolean;
  deleted_file: boolean;
  diff: string;
}

/** `GET /projects/:id/repository/compare`. */
export interface GitlabCompare {
  commit: GitlabCommit | null;
  commits: GitlabCommit[];
  diffs: GitlabDiff[];
  compare_timeout: boolean;
  compare_same_ref: boolean;
}

/** One action of `POST /projects/:id/repository/commits`. */
export interface GitlabCommitAction {
  action: 'create' | 'update' | 'delete';
  file_path: string;
  content?: string;
  encoding?: 'text' | 'base64';
}

/** Body of `POST /projects/:id/repository/commits`. */
export interface GitlabCreateCommit {
  branch: string;
  commit_message: string;
  start_sha?: string;
  start_branch?: string;
  actions: GitlabCommitAction[];
  author_email?: string;
  author_name?: string;
  force?: boolean;
}

/** A merge request (`/projects/:id/merge_requests`). */
export interface GitlabMergeRequest {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string | null;
  state: 'opened' | 'closed' | 'locked' | 'merged';
  source_branch: string;
  target_branch: string;
  labels: string[];
  draft: boolean;
  web_url: string;
  sha: string;
  reviewers?: Array<{ id: number; username: string }>;
}

/** One entry of `GET /users?username=`. */
export interface GitlabUser {
  id: number;
  username: string;
  name: string;
}
