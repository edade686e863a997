import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import { NotModifiedError } from '@backstage/errors';
import type {
  PreparerBase,
  PreparerOptions,
  PreparerResponse,
} from '@backstage/plugin-techdocs-node';
import { copyDocsSource } from './copyDocsSource';
import { treeDigest } from './treeDigest';

/**
 * A `dir:` preparer that hands the generator a copy of the docs source
 * instead of the source folder itself.
 *
 * Backstage's DirectoryPreparer returns the folder the annotation names, and
 * the generator then rewrites that folder's mkdocs.yml in place (it
 * sanitises keys and adds plugins) before running MkDocs. With `dir:`
 * annotations on a checkout, as this repository's catalog-info.yaml has, a
 * docs build in the portal would edit files of the working tree. This
 * preparer resolves and validates the location with the wrapped preparer,
 * copies what MkDocs reads into a temporary folder, and lets the builder
 * delete that copy after generation.
 *
 * The copy's digest is the etag: when it equals the etag of the published
 * site, nothing changed and the preparer says so (NotModifiedError), so an
 * unchanged site is not rebuilt each time it is opened (the DirectoryPreparer
 * answers an empty etag, which rebuilds every time and tells the reader a
 * "newer version" is available).
 */
export class CopyingDirectoryPreparer implements PreparerBase {
  constructor(
    private readonly inner: PreparerBase,
    private readonly workDir: string = os.tmpdir(),
  ) {}

  async prepare(
    entity: Entity,
    options?: PreparerOptions,
  ): Promise<PreparerResponse> {
    const { preparedDir } = await this.inner.prepare(entity, options);
    const copy = await fs.mkdtemp(path.join(this.workDir, 'techdocs-source-'));
    let etag: string;
    try {
      await copyDocsSource(preparedDir, copy);
      etag = await treeDigest(copy);
    } catch (error) {
      await fs.rm(copy, { recursive: true, force: true });
      throw error;
    }
    if (options?.etag === etag) {
      await fs.rm(copy, { recursive: true, force: true });
      throw new NotModifiedError(`The docs source ${preparedDir} is unchanged`);
    }
    options?.logger?.debug(`Copied docs source ${preparedDir} to ${copy}`);
    return { preparedDir: copy, etag };
  }

  shouldCleanPreparedDirectory(): boolean {
    return true;
  }
}
