import type { GitOpsRepository } from '@epicshelter/plugin-gitops-node';
import {
  ENVIRONMENTS_DIR,
  ENVIRONMENT_FILE_NAME,
} from '@epicshelter/plugin-gitops-common';

/** One `environments/<env>/` folder at a revision. @public */
export interface EnvironmentFolder {
  /**
   * Changes whenever anything in the folder changes (the folder's git tree
   * id).
   */
  fingerprint: string;
  /** Content of `environment.yaml`, undefined when the folder has none. */
  readSpec(): Promise<string | undefined>;
}

/** The environments of the repository at one commit. @public */
export interface RepositorySnapshot {
  /** Commit SHA the snapshot was read at. */
  revision: string;
  /** Folder name → folder. */
  environments: Map<string, EnvironmentFolder>;
}

/** Reads the environments of the GitOps repository. @public */
export interface GitOpsRepositorySource {
  /** Short description for logs, e.g. `local /srv/gitops (main)`. */
  readonly description: string;
  /**
   * Reads the head of the branch. Returns `'unchanged'` when the head is
   * still `previousRevision`.
   */
  read(previousRevision?: string): Promise<RepositorySnapshot | 'unchanged'>;
}

/** `environments/<folder>/environment.yaml`, relative to `environments/`. */
const SPEC_FILE = new RegExp(
  `^[^/]+/${ENVIRONMENT_FILE_NAME.replace('.', '\\.')}$`,
);

/**
 * The environments of the GitOps repository, read through the GitOps
 * repository service of gitops-node (local git, GitHub or GitLab) at the
 * head of its default branch. A folder's fingerprint is its git tree id,
 * so an unchanged folder is recognised without reading it; the
 * `environment.yaml` files are read once per snapshot, on the first
 * `readSpec` (blobs are cached by id, so unchanged ones cost nothing).
 * @public
 */
export class GitOpsRepositoryServiceSource implements GitOpsRepositorySource {
  readonly description: string;

  constructor(private readonly repository: GitOpsRepository) {
    this.description = `${repository.kind} ${repository.location} (${repository.defaultBranch})`;
  }

  async read(previousRevision?: string) {
    const head = await this.repository.head();
    const revision = head?.sha ?? '';
    if (revision === previousRevision) return 'unchanged' as const;
    const environments = new Map<string, EnvironmentFolder>();
    if (!head) {
      // A configured repository that does not exist yet (the scaffolder
      // creates it from the blueprint on first publish) has no environment.
      return { revision, environments };
    }
    const entries = await this.repository.readTree(head.sha, ENVIRONMENTS_DIR);
    let specs: Promise<Record<string, string>> | undefined;
    const readSpecs = () =>
      (specs ??= this.repository.readFiles(head.sha, ENVIRONMENTS_DIR, p =>
        SPEC_FILE.test(p),
      ));
    for (const entry of entries) {
      if (entry.type !== 'tree' || entry.path.includes('/')) continue;
      const specPath = `${entry.path}/${ENVIRONMENT_FILE_NAME}`;
      environments.set(entry.path, {
        fingerprint: entry.sha,
        readSpec: async () => (await readSpecs())[specPath],
      });
    }
    return { revision, environments };
  }
}
