import { basenameOf, dirnameOf } from '../paths';
import type { RepositoryDocument, ValidationIssue } from './validateRepository';
import { readYamlStream } from './yamlStream';

type Obj = Record<string, unknown>;

/** An object of the tree, and where it came from. @public */
export interface TreeObject {
  /** The object (a YAML document with a kind). */
  value: Record<string, unknown>;
  /** Repository-relative path of its file. */
  file: string;
  /** Index of its document in the file (0-based). */
  documentIndex: number;
}

const YAML_FILE = /\.ya?ml$/;

/** Whether a repository path holds YAML the validator reads. @public */
export function isYamlPath(path: string): boolean {
  return YAML_FILE.test(path) || basenameOf(path) === 'Kustomization';
}

/** One file, parsed. */
interface ParsedFile {
  /** Its documents that hold a value (null documents are left out). */
  documents: RepositoryDocument[];
  /**
   * The file as one document (what `yaml.parse` returns): null when it holds
   * none, undefined when it holds several or does not parse. Absent when
   * unknown (the tree was given documents, not the parse results).
   */
  single?: { value: unknown };
}

/** Parses every YAML document of a file; syntax errors become issues. */
function parseFile(
  file: string,
  content: string,
): { parsed: ParsedFile; issues: ValidationIssue[] } {
  const documents: RepositoryDocument[] = [];
  const issues: ValidationIssue[] = [];
  const all = readYamlStream(content);
  all.forEach((doc, documentIndex) => {
    if ('error' in doc) {
      issues.push({ file, documentIndex, path: '$', message: doc.error });
    } else if (doc.value !== null && doc.value !== undefined) {
      documents.push({ file, documentIndex, value: doc.value });
    }
  });
  let single: unknown;
  if (all.length === 0) single = null;
  else if (all.length === 1 && issues.length === 0) {
    single = documents[0]?.value ?? null;
  }
  return { parsed: { documents, single: { value: single } }, issues };
}

/**
 * A repository tree, its YAML parsed once, with the indexes rules and the
 * topology check read again and again (every cluster builds `platform/`,
 * every ApplicationSet reads the environment files): objects per file,
 * folders, kustomize builds and generator parameters. One tree is shared by
 * every rule of a validation run.
 * @public
 */
export class RepositoryTree {
  /**
   * Parses every YAML file of a tree (sorted by path) into one tree; parse
   * errors become issues.
   */
  static parse(files: Record<string, string>): {
    tree: RepositoryTree;
    documents: RepositoryDocument[];
    issues: ValidationIssue[];
  } {
    const tree = new RepositoryTree(files);
    const documents: RepositoryDocument[] = [];
    const issues: ValidationIssue[] = [];
    for (const file of tree.sortedPaths) {
      if (!isYamlPath(file)) continue;
      const r = parseFile(file, files[file]);
      tree.parsed.set(file, r.parsed);
      documents.push(...r.parsed.documents);
      issues.push(...r.issues);
    }
    return { tree, documents, issues };
  }

  private readonly dirs = new Set<string>();
  private readonly direct = new Map<string, string[]>();
  private readonly parsed = new Map<string, ParsedFile>();
  private readonly objectsOf = new Map<string, TreeObject[]>();
  private readonly globs = new Map<string, string[]>();
  private readonly sortedPaths: string[];
  private sortedDirs?: string[];
  /** Build results per folder, owned by the kustomize builder. */
  readonly builds = new Map<string, unknown>();
  /** Generator parameters per file, owned by the ApplicationSet expansion. */
  readonly generatorParams = new Map<string, Record<string, string>>();
  private readonly derived = new Map<string, unknown>();

  /**
   * @param documents - the tree's documents when already parsed, so no file
   *   is parsed twice; other files are parsed when first read
   */
  constructor(
    /** The tree: repository-relative path to content. */
    readonly files: Record<string, string>,
    documents?: ReadonlyArray<RepositoryDocument>,
  ) {
    for (const d of documents ?? []) {
      let p = this.parsed.get(d.file);
      if (!p) this.parsed.set(d.file, (p = { documents: [] }));
      p.documents.push(d);
    }
    this.sortedPaths = Object.keys(files).sort();
    for (const f of this.sortedPaths) {
      const d = dirnameOf(f);
      const inDir = this.direct.get(d);
      if (inDir) inDir.push(f);
      else this.direct.set(d, [f]);
      for (let p = d; p !== '' && !this.dirs.has(p); p = dirnameOf(p)) {
        this.dirs.add(p);
      }
    }
  }

  /**
   * A value derived from the tree, computed once per key (an index of
   * generator parameters, say). Shared: do not mutate.
   */
  derive<T>(key: string, compute: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, compute());
    return this.derived.get(key) as T;
  }

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

  /** Whether the tree holds this file. */
  has(file: string): boolean {
    return file in this.files;
  }

  /** Every folder that holds a file (at any depth), sorted. Shared: do not mutate. */
  directories(): string[] {
    return (this.sortedDirs ??= [...this.dirs].sort());
  }

  /** Whether a folder holds a file at any depth (the root always does). */
  isDirectory(dir: string): boolean {
    return dir === '' || this.dirs.has(dir);
  }

  /** The files directly inside a folder, sorted. */
  filesIn(dir: string): string[] {
    return this.direct.get(dir) ?? [];
  }

  private parsedFile(file: string): ParsedFile {
    let p = this.parsed.get(file);
    if (!p) {
      p = parseFile(file, this.files[file] ?? '').parsed;
      this.parsed.set(file, p);
    }
    return p;
  }

  /** The documents of a YAML file that hold a value. Shared: do not mutate. */
  documentsOf(file: string): RepositoryDocument[] {
    return this.parsedFile(file).documents;
  }

  /** The Kubernetes objects of a YAML file (documents with a kind). Shared: do not mutate. */
  objects(file: string): TreeObject[] {
    let out = this.objectsOf.get(file);
    if (!out) {
      out = this.parsedFile(file).documents.filter(
        (d): d is TreeObject =>
          typeof d.value === 'object' &&
          d.value !== null &&
          !Array.isArray(d.value) &&
          typeof (d.value as Obj).kind === 'string',
      );
      this.objectsOf.set(file, out);
    }
    return out;
  }

  /** A single-document YAML file, parsed (undefined when it does not parse). Shared: do not mutate. */
  yaml(file: string): unknown {
    let p = this.parsedFile(file);
    if (!p.single) {
      const docs = p.documents;
      if (docs.length === 1 && docs[0].documentIndex === 0) {
        p.single = { value: docs[0].value };
      } else {
        // Given documents only: parse to tell one null document from several.
        p = parseFile(file, this.files[file] ?? '').parsed;
        this.parsed.set(file, p);
      }
    }
    return p.single!.value;
  }
}
