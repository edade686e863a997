import fs from 'node:fs';
import git from 'isomorphic-git';

/** One commit of a test repository, as the fakes need it. */
export interface FakeCommit {
  oid: string;
  message: string;
  parents: string[];
  /** Committer date, seconds since the epoch. */
  committedAt: number;
  /** Author date, seconds since the epoch. */
  authoredAt: number;
  author: { name: string; email: string };
  committer: { name: string; email: string };
}

/** A file that differs between two commits, with its blob id (the new one unless removed). */
export interface FakeFileChange {
  path: string;
  status: 'added' | 'modified' | 'removed';
  oid: string;
}

/** A file that differs between two commits, with its blob id (the new one unless removed). */
export interface FakeChangedFile {
  path: string;
  status: 'added' | 'modified' | 'removed';
  oid: string;
}

/** Reads a real git repository on disk for the fake hosts (isomorphic-git, no git binary). */
export class GitHistory {
  constructor(readonly dir: string) {}

  async isEmpty(): Promise<boolean> {
    return (await git.listBranches({ fs, dir: this.dir })).length === 0;
  }

  /** The commit a branch, tag or (abbreviated) SHA names; undefined when none. */
  async resolve(ref: string): Promise<string | undefined> {
    try {
      if (/^[0-9a-f]{7,40}$/.test(ref)) {
        return await git.expandOid({ fs, dir: this.dir, oid: ref });
      }
      return await git.resolveRef({ fs, dir: this.dir, ref });
    } catch {
      return undefined;
    }
  }

  async commit(oid: string): Promise<FakeCommit> {
    const { commit } = await git.readCommit({ fs, dir: this.dir, oid });
    return {
      oid,
      message: commit.message,
      parents: commit.parent,
      committedAt: commit.committer.timestamp,
      authoredAt: commit.author.timestamp,
      author: { name: commit.author.name, email: commit.author.email },
      committer: { name: commit.committer.name, email: commit.committer.email },
    };
  }

  /** Commits reachable from `oid`, newest first; only those touching `path` when given. */
  async log(oid: string, path?: string): Promise<FakeCommit[]> {
    const log = await git.log({ fs, dir: this.dir, ref: oid, filepath: path });
    return Promise.all(log.map(c => this.commit(c.oid)));
  }

  /** Entries of the tree `oid` (a commit or tree id), below `path` when given; undefined when absent. */
  async tree(
    oid: string,
    path?: string,
  ): Promise<Array<{ path: string; type: string; oid: string }> | undefined> {
    try {
      const { tree } = await git.readTree({
        fs,
        dir: this.dir,
        oid,
        filepath: path || undefined,
      });
      return tree.map(e => ({ path: e.path, type: e.type, oid: e.oid }));
    } catch {
      return undefined;
    }
  }

  /** Every entry below the tree `oid`, paths relative to it. */
  async walk(
    oid: string,
    path?: string,
  ): Promise<Array<{ path: string; type: string; oid: string }> | undefined> {
    const top = await this.tree(oid, path);
    if (!top) return undefined;
    const out: Array<{ path: string; type: string; oid: string }> = [];
    const visit = async (
      entries: Array<{ path: string; type: string; oid: string }>,
      prefix: string,
    ) => {
      for (const e of entries) {
        out.push({ ...e, path: `${prefix}${e.path}` });
        if (e.type === 'tree') {
          await visit((await this.tree(e.oid))!, `${prefix}${e.path}/`);
        }
      }
    };
    await visit(top, '');
    return out;
  }

  /** The newest commit both `a` and `b` reach; undefined when they share none. */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const [base] = await git.findMergeBase({ fs, dir: this.dir, oids: [a, b] });
    return base;
  }

  /** Blobs that differ between the commits `from` and `to`, sorted by path, with their ids. */
  async diff(from: string, to: string): Promise<FakeChangedFile[]> {
    const blobs = async (oid: string) =>
      new Map(
        ((await this.walk(oid)) ?? [])
          .filter(e => e.type === 'blob')
          .map(e => [e.path, e.oid]),
      );
    const [before, after] = await Promise.all([blobs(from), blobs(to)]);
    const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
    return paths.flatMap((path): FakeChangedFile[] => {
      const [b, a] = [before.get(path), after.get(path)];
      if (b === a) return [];
      if (!b) return [{ path, status: 'added', oid: a! }];
      if (!a) return [{ path, status: 'removed', oid: b }];
      return [{ path, status: 'modified', oid: a }];
    });
  }

  async blob(oid: string): Promise<Buffer | undefined> {
    try {
      const { blob } = await git.readBlob({ fs, dir: this.dir, oid });
      return Buffer.from(blob);
    } catch {
      return undefined;
    }
  }
}
