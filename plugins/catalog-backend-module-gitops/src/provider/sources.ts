import fs from 'node:fs';
import crypto from 'node:crypto';
import git from 'isomorphic-git';
import { NotModifiedError, InputError, isError } from '@backstage/errors';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ENVIRONMENTS_DIR,
  ENVIRONMENT_FILE_NAME,
} from '@epicshelter/plugin-gitops-common';

/** One `environments/<env>/` folder at a revision. @public */
export interface EnvironmentFolder {
  /**
   * Changes whenever anything in the folder changes (local: the folder's git
   * tree id; GitHub: a hash of its environment.yaml).
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

/**
 * A git repository on the backend's machine, read with isomorphic-git (as the
 * scaffolder module writes it; no git binary needed). Unchanged folders are
 * recognised by their git tree id, so an incremental read only opens the
 * `environment.yaml` of folders whose tree changed.
 * @public
 */
export class LocalGitRepositorySource implements GitOpsRepositorySource {
  readonly description: string;

  constructor(private readonly options: { path: string; branch: string }) {
    this.description = `local ${options.path} (${options.branch})`;
  }

  private async resolveHead(): Promise<string | undefined> {
    const dir = this.options.path;
    if (!fs.existsSync(dir)) {
      return undefined;
    }
    if (!fs.existsSync(`${dir}/.git`) && !fs.existsSync(`${dir}/HEAD`)) {
      throw new InputError(
        `GitOps repository ${dir} is not a git repository (no .git); point gitops.repository at a repository`,
      );
    }
    for (const ref of [`refs/heads/${this.options.branch}`, 'HEAD']) {
      try {
        return await git.resolveRef({ fs, dir, ref });
      } catch (e) {
        if (!(isError(e) && e.name === 'NotFoundError')) throw e;
      }
    }
    // An empty repository (no commit yet) declares no environment.
    return '';
  }

  async read(previousRevision?: string) {
    const dir = this.options.path;
    const head = await this.resolveHead();
    if (head === undefined || head === '') {
      // A configured repository that does not exist yet (the scaffolder
      // creates it from the blueprint on first publish) has no environment.
      return previousRevision === ''
        ? ('unchanged' as const)
        : { revision: '', environments: new Map() };
    }
    if (head === previousRevision) {
      return 'unchanged' as const;
    }
    // isomorphic-git's pack cache, fresh per read so a repack (git gc)
    // between refreshes never leaves stale pack data behind.
    const cache = {};
    const { commit } = await git.readCommit({ fs, dir, oid: head, cache });
    const { tree: root } = await git.readTree({
      fs,
      dir,
      oid: commit.tree,
      cache,
    });
    const envsEntry = root.find(
      e => e.path === ENVIRONMENTS_DIR && e.type === 'tree',
    );
    const environments = new Map<string, EnvironmentFolder>();
    if (envsEntry) {
      const { tree } = await git.readTree({
        fs,
        dir,
        oid: envsEntry.oid,
        cache,
      });
      for (const entry of tree) {
        if (entry.type !== 'tree') continue;
        const folderOid = entry.oid;
        environments.set(entry.path, {
          fingerprint: folderOid,
          readSpec: async () => {
            const { tree: files } = await git.readTree({
              fs,
              dir,
              oid: folderOid,
              cache,
            });
            const file = files.find(
              f => f.path === ENVIRONMENT_FILE_NAME && f.type === 'blob',
            );
            if (!file) return undefined;
            const { blob } = await git.readBlob({
              fs,
              dir,
              oid: file.oid,
              cache,
            });
            return Buffer.from(blob).toString('utf8');
          },
        });
      }
    }
    return { revision: head, environments };
  }
}

/**
 * A GitHub repository read through Backstage's URL reader (so the
 * `integrations.github` credentials apply): `readTree` of the `environments`
 * folder with the last commit SHA as etag, which answers "not modified" for
 * one cheap request while the branch has not moved.
 * @public
 */
export class UrlReaderRepositorySource implements GitOpsRepositorySource {
  readonly description: string;

  constructor(
    private readonly options: {
      reader: UrlReaderService;
      /** `https://github.com/<owner>/<repo>` */
      repositoryUrl: string;
      branch: string;
    },
  ) {
    this.description = `${options.repositoryUrl} (${options.branch})`;
  }

  async read(previousRevision?: string) {
    const url = `${this.options.repositoryUrl}/tree/${this.options.branch}/${ENVIRONMENTS_DIR}`;
    let response;
    try {
      response = await this.options.reader.readTree(url, {
        etag: previousRevision || undefined,
        filter: path => {
          const parts = path.split('/');
          return parts.length === 2 && parts[1] === ENVIRONMENT_FILE_NAME;
        },
      });
    } catch (e) {
      if (isError(e) && e.name === NotModifiedError.name) {
        return 'unchanged' as const;
      }
      throw e;
    }
    const environments = new Map<string, EnvironmentFolder>();
    for (const file of await response.files()) {
      const [folder, name] = file.path.split('/');
      if (name !== ENVIRONMENT_FILE_NAME) continue;
      const content = (await file.content()).toString('utf8');
      environments.set(folder, {
        fingerprint: crypto.createHash('sha1').update(content).digest('hex'),
        readSpec: async () => content,
      });
    }
    return { revision: response.etag, environments };
  }
}
