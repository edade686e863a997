import { parse, parseAllDocuments } from 'yaml';
import { dirnameOf } from '../../paths';

type Obj = Record<string, unknown>;

/** An object of the tree, and where it came from. */
export interface TreeObject {
  value: Obj;
  file: string;
  documentIndex: number;
}

/**
 * A repository tree with the indexes and parse results the topology check
 * reads again and again (every cluster builds `platform/`, every
 * ApplicationSet reads the environment files): parsed once per tree.
 */
export class RepositoryTree {
  private readonly dirs = new Set<string>();
  private readonly direct = new Map<string, string[]>();
  private readonly documents = new Map<string, TreeObject[]>();
  private readonly parsed = new Map<string, unknown>();
  /** Build results per folder, owned by the kustomize builder. */
  readonly builds = new Map<string, unknown>();
  /** Generator parameters per file, owned by the ApplicationSet expansion. */
  readonly generatorParams = new Map<string, Record<string, string>>();

  /**
   * @param documents - the tree's documents when already parsed (as
   *   validateRepository has them), so no file is parsed twice
   */
  constructor(
    readonly files: Record<string, string>,
    documents?: ReadonlyArray<TreeObject & { value: unknown }>,
  ) {
    if (documents) {
      const byFile = new Map<string, Array<TreeObject & { value: unknown }>>();
      for (const d of documents) {
        byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
      }
      for (const [file, docs] of byFile) {
        this.documents.set(
          file,
          docs.filter(
            (d): d is TreeObject =>
              typeof d.value === 'object' &&
              d.value !== null &&
              !Array.isArray(d.value) &&
              typeof (d.value as Obj).kind === 'string',
          ),
        );
        if (docs.length === 1 && docs[0].documentIndex === 0) {
          this.parsed.set(file, docs[0].value);
        }
      }
    }
    this.sortedPaths = Object.keys(files).sort();
    for (const f of this.sortedPaths) {
      const d = dirnameOf(f);
      this.direct.set(d, [...(this.direct.get(d) ?? []), f]);
      for (let p = d; p !== '' && !this.dirs.has(p); p = dirnameOf(p)) {
        this.dirs.add(p);
      }
    }
  }

  private readonly globs = new Map<string, string[]>();
  private readonly sortedPaths: string[];

  /** Every path, sorted. */
  get paths(): string[] {
    return this.sortedPaths;
  }

  /** The paths a regular expression matches, sorted (memoised by its source). */
  matching(re: RegExp): string[] {
    let out = this.globs.get(re.source);
    if (!out) {
      out = this.sortedPaths.filter(p => re.test(p));
      this.globs.set(re.source, out);
    }
    return out;
  }

  has(file: string): boolean {
    return file in this.files;
  }

  /** Every folder that holds a file (at any depth). */
  directories(): string[] {
    return [...this.dirs].sort();
  }

  isDirectory(dir: string): boolean {
    return dir === '' || this.dirs.has(dir);
  }

  /** The files directly inside a folder, sorted. */
  filesIn(dir: string): string[] {
    return this.direct.get(dir) ?? [];
  }

  /** The Kubernetes objects of a YAML file (documents with a kind). Shared: do not mutate. */
  objects(file: string): TreeObject[] {
    let out = this.documents.get(file);
    if (!out) {
      out = [];
      for (const [documentIndex, doc] of parseAllDocuments(
        this.files[file] ?? '',
      ).entries()) {
        if (!('toJS' in doc) || doc.errors.length > 0) continue;
        const value: unknown = doc.toJS();
        if (
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          typeof (value as Obj).kind === 'string'
        ) {
          out.push({ value: value as Obj, file, documentIndex });
        }
      }
      this.documents.set(file, out);
    }
    return out;
  }

  /** A single-document YAML file, parsed (undefined when it does not parse). Shared: do not mutate. */
  yaml(file: string): unknown {
    if (!this.parsed.has(file)) {
      let value: unknown;
      try {
        value = parse(this.files[file] ?? '');
      } catch {
        value = undefined;
      }
      this.parsed.set(file, value);
    }
    return this.parsed.get(file);
  }
}
