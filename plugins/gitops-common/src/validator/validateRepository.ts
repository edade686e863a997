import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import {
  ENVIRONMENTS_DIR,
  ENVIRONMENT_API_VERSION,
  ENVIRONMENT_FILE_NAME,
  ENVIRONMENT_KIND,
} from '../constants';
import { basenameOf, dirnameOf, isInside, resolveRepoPath } from '../paths';
import { safeParseEnvironmentSpec } from '../spec';
import { ARGO_CD_SCHEMAS } from './argoSchemas';
import { CROSSPLANE_SPEC_FIELDS, compositeObjectSchema } from './xrdSchema';
import { RepositoryTree } from './repositoryTree';
import { REPOSITORY_RULES, runRules } from './rules';

/** One problem found in a repository tree. @public */
export interface ValidationIssue {
  /** Repository-relative file path. */
  file: string;
  /** Index of the YAML document in the file (0-based; -1 for the file itself). */
  documentIndex: number;
  /** JSON path inside the document, e.g. `$.spec.parameters.engine` (`$` for the document). */
  path: string;
  message: string;
}

/** Result of {@link validateRepository}. @public */
export interface ValidationResult {
  ok: boolean;
  issues: ValidationIssue[];
}

/** Options of {@link validateRepository}. @public */
export interface ValidateRepositoryOptions {
  /**
   * URLs of this repository. When set, only Argo CD sources with one of these
   * `repoURL`s have their `path` checked against the tree; by default every
   * git source with a `path` is assumed to point into this repository.
   */
  repoURLs?: string[];
  /**
   * Told how long each step took, in milliseconds, for benchmarks: `parse`
   * (YAML), `checks` (validateRepository's own), then each rule by its id.
   */
  onTiming?: (step: string, milliseconds: number) => void;
}

/** A parsed YAML document of the tree. @public */
export interface RepositoryDocument {
  file: string;
  documentIndex: number;
  value: unknown;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];
export { isYamlPath } from './repositoryTree';

import { splitApiVersion } from './apiVersion';

export { splitApiVersion };

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function jsonPath(segments: Array<string | number>): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

function pointerToJsonPath(pointer: string): string {
  if (pointer === '') return '$';
  const segments = pointer
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(s => (/^\d+$/.test(s) ? Number(s) : s));
  return jsonPath(segments);
}

function ajvIssues(
  errors: ErrorObject[] | null | undefined,
  what: string,
): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // Errors inside anyOf/oneOf branches are noise; the combinator's own
    // error says what is wrong.
    if (/\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath) || e.keyword === 'if')
      continue;
    let path = pointerToJsonPath(e.instancePath);
    let message: string;
    switch (e.keyword) {
      case 'anyOf':
      case 'oneOf':
        message = `does not match any allowed combination of its fields (${what})`;
        break;
      case 'additionalProperties': {
        const prop = String(
          (e.params as { additionalProperty: string }).additionalProperty,
        );
        path =
          path === '$'
            ? jsonPath([prop])
            : `${path}${jsonPath([prop]).slice(1)}`;
        message = `unknown field ${JSON.stringify(
          prop,
        )}: not defined by ${what}`;
        break;
      }
      case 'required': {
        const prop = String(
          (e.params as { missingProperty: string }).missingProperty,
        );
        path =
          path === '$'
            ? jsonPath([prop])
            : `${path}${jsonPath([prop]).slice(1)}`;
        message = `required by ${what} but missing`;
        break;
      }
      case 'enum':
        message = `must be one of ${(
          (e.params as { allowedValues: unknown[] }).allowedValues ?? []
        )
          .map(v => JSON.stringify(v))
          .join(', ')} (${what})`;
        break;
      default:
        message = `${e.message ?? 'is invalid'} (${what})`;
    }
    const key = `${path}|${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ path, message });
    }
  }
  return out;
}

function newAjv(): Ajv {
  return new Ajv({
    allErrors: true,
    strict: false,
    validateFormats: false,
    validateSchema: false,
  });
}

// Compiled validators, keyed by the schema's JSON text: compiling is the
// expensive part, and the same XRDs are validated over and over.
const compiledCache = new Map<string, ValidateFunction>();
const COMPILED_CACHE_LIMIT = 500;

// The same schema object (an Argo CD kind) is checked over and over: look
// it up by identity before serialising it.
const compiledBySchema = new WeakMap<object, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  const known = compiledBySchema.get(schema);
  if (known) return known;
  const key = JSON.stringify(schema);
  let fn = compiledCache.get(key);
  if (!fn) {
    fn = newAjv().compile(schema);
    if (compiledCache.size >= COMPILED_CACHE_LIMIT) {
      compiledCache.delete(compiledCache.keys().next().value!);
    }
    compiledCache.set(key, fn);
  }
  compiledBySchema.set(schema, fn);
  return fn;
}

interface CompositeType {
  style: keyof typeof CROSSPLANE_SPEC_FIELDS;
  schema: unknown;
  xrdName: string;
  /** The XR type (`group/version`, kind) compositions refer to. */
  compositeApiVersion: string;
  compositeKind: string;
  /** Its compiled schema, once an object of the type is checked. */
  validate?: ValidateFunction;
}

/** Parses every YAML file of a tree; parse errors become issues. @public */
export function parseRepositoryDocuments(files: Record<string, string>): {
  documents: RepositoryDocument[];
  issues: ValidationIssue[];
} {
  const { documents, issues } = RepositoryTree.parse(files);
  return { documents, issues };
}

function isRemoteRef(ref: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
    ref.startsWith('git@') ||
    ref.startsWith('github.com/') ||
    ref.startsWith('gitlab.com/') ||
    ref.startsWith('bitbucket.org/') ||
    ref.includes('?ref=')
  );
}

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function hasTemplate(s: string): boolean {
  return s.includes('{{');
}

/**
 * Validates a whole GitOps repository tree (path → content): YAML parses,
 * Argo CD objects match Argo CD's schema, XRs/claims match the XRD the same
 * tree defines for them and select an existing Composition, kustomizations
 * and Argo CD sources reference paths that exist, names are unique per kind
 * and namespace, and environment documents hold valid specs.
 * @public
 */
export function validateRepository(
  files: Record<string, string>,
  options: ValidateRepositoryOptions = {},
): ValidationResult {
  let start = performance.now();
  const { tree, documents, issues } = RepositoryTree.parse(files);
  options.onTiming?.('parse', performance.now() - start);
  start = performance.now();
  const paths = Object.keys(files);
  const pathSet = new Set(paths);
  const dirSet = new Set<string>();
  for (const p of paths) {
    for (let d = dirnameOf(p); d !== ''; d = dirnameOf(d)) {
      if (dirSet.has(d)) break;
      dirSet.add(d);
    }
  }
  const kustomizationIn = (dir: string) =>
    KUSTOMIZATION_FILES.some(k => pathSet.has(dir === '' ? k : `${dir}/${k}`));
  const add = (doc: RepositoryDocument, path: string, message: string) =>
    issues.push({
      file: doc.file,
      documentIndex: doc.documentIndex,
      path,
      message,
    });

  // 1. Collect the platform API (XRDs) and compositions defined in the tree.
  const compositeTypes = new Map<string, CompositeType>();
  const xrdGroups = new Set<string>();
  const compositions: Array<{ apiVersion: string; kind: string; labels: Obj }> =
    [];
  for (const doc of documents) {
    const v = doc.value;
    if (!isObject(v)) continue;
    const apiVersion = str(v.apiVersion);
    const kind = str(v.kind);
    if (!apiVersion?.startsWith('apiextensions.crossplane.io/')) continue;
    if (
      kind === 'Composition' &&
      isObject(v.spec) &&
      isObject(v.spec.compositeTypeRef)
    ) {
      compositions.push({
        apiVersion: String(v.spec.compositeTypeRef.apiVersion),
        kind: String(v.spec.compositeTypeRef.kind),
        labels:
          isObject(v.metadata) && isObject(v.metadata.labels)
            ? v.metadata.labels
            : {},
      });
    }
    if (kind !== 'CompositeResourceDefinition' || !isObject(v.spec)) continue;
    const spec = v.spec;
    const group = str(spec.group);
    const names = isObject(spec.names) ? spec.names : {};
    const xrKind = str(names.kind);
    const xrdName =
      str(isObject(v.metadata) ? v.metadata.name : undefined) ?? '(unnamed)';
    if (!group || !xrKind || !Array.isArray(spec.versions)) continue;
    xrdGroups.add(group);
    const isV1 = apiVersion === 'apiextensions.crossplane.io/v1';
    const scope = str(spec.scope) ?? (isV1 ? 'LegacyCluster' : 'Namespaced');
    const claimKind = isObject(spec.claimNames)
      ? str(spec.claimNames.kind)
      : undefined;
    for (const version of spec.versions) {
      if (!isObject(version) || !str(version.name) || version.served === false)
        continue;
      const schema = isObject(version.schema)
        ? version.schema.openAPIV3Schema
        : undefined;
      const compositeApiVersion = `${group}/${version.name}`;
      compositeTypes.set(`${compositeApiVersion}|${xrKind}`, {
        style: scope === 'LegacyCluster' ? 'legacyComposite' : 'namespaced',
        schema,
        xrdName,
        compositeApiVersion,
        compositeKind: xrKind,
      });
      if (claimKind) {
        compositeTypes.set(`${compositeApiVersion}|${claimKind}`, {
          style: 'claim',
          schema,
          xrdName,
          compositeApiVersion,
          compositeKind: xrKind,
        });
      }
    }
  }

  // 2. Kustomizations: references must exist; patch files are not resources.
  const patchFiles = new Set<string>();
  for (const doc of documents) {
    const base = basenameOf(doc.file);
    if (!KUSTOMIZATION_FILES.includes(base) || !isObject(doc.value)) continue;
    const k = doc.value;
    const dir = dirnameOf(doc.file);
    const check = (
      ref: unknown,
      path: Array<string | number>,
      kind: 'any' | 'file' | 'dir',
    ) => {
      if (typeof ref !== 'string') {
        add(doc, jsonPath(path), 'must be a string');
        return undefined;
      }
      if (isRemoteRef(ref)) return undefined;
      const resolved = resolveRepoPath(dir, ref);
      if (resolved === undefined) {
        add(
          doc,
          jsonPath(path),
          `${JSON.stringify(ref)} points outside the repository`,
        );
        return undefined;
      }
      const isFile = pathSet.has(resolved);
      const isDir = dirSet.has(resolved);
      if (kind !== 'dir' && isFile) return resolved;
      if (kind !== 'file' && isDir) {
        if (!kustomizationIn(resolved)) {
          add(
            doc,
            jsonPath(path),
            `${JSON.stringify(
              ref,
            )} is a directory without a kustomization.yaml (${resolved})`,
          );
        }
        return resolved;
      }
      add(
        doc,
        jsonPath(path),
        `${JSON.stringify(ref)} does not exist in the repository (resolved to ${
          resolved || '.'
        })`,
      );
      return undefined;
    };
    for (const field of ['resources', 'bases', 'components', 'crds'] as const) {
      const list = k[field];
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        add(doc, jsonPath([field]), 'must be a list');
        continue;
      }
      list.forEach((ref, i) =>
        check(ref, [field, i], field === 'crds' ? 'file' : 'any'),
      );
    }
    if (Array.isArray(k.patchesStrategicMerge)) {
      k.patchesStrategicMerge.forEach((ref, i) => {
        if (typeof ref === 'string' && !ref.includes('\n')) {
          const r = check(ref, ['patchesStrategicMerge', i], 'file');
          if (r) patchFiles.add(r);
        }
      });
    }
    for (const field of ['patches', 'patchesJson6902'] as const) {
      const list = k[field];
      if (!Array.isArray(list)) continue;
      list.forEach((p, i) => {
        if (isObject(p) && p.path !== undefined) {
          const r = check(p.path, [field, i, 'path'], 'file');
          if (r) patchFiles.add(r);
        }
      });
    }
    for (const field of ['configMapGenerator', 'secretGenerator'] as const) {
      const list = k[field];
      if (!Array.isArray(list)) continue;
      list.forEach((g, i) => {
        if (!isObject(g)) return;
        (Array.isArray(g.files) ? g.files : []).forEach((f, j) => {
          if (typeof f === 'string') {
            const p = f.includes('=') ? f.slice(f.indexOf('=') + 1) : f;
            const r = check(p, [field, i, 'files', j], 'file');
            if (r) patchFiles.add(r);
          }
        });
        (Array.isArray(g.envs) ? g.envs : []).forEach((f, j) => {
          const r = check(f, [field, i, 'envs', j], 'file');
          if (r) patchFiles.add(r);
        });
      });
    }
  }

  // 3. Per document checks.
  const seenNames = new Map<string, RepositoryDocument>();
  const argoSourcePathCheck = (
    doc: RepositoryDocument,
    source: unknown,
    path: Array<string | number>,
  ) => {
    if (!isObject(source)) return;
    const repoURL = str(source.repoURL);
    const p = str(source.path);
    if (p === undefined || source.chart !== undefined || repoURL === undefined)
      return;
    if (hasTemplate(p) || hasTemplate(repoURL)) return;
    if (options.repoURLs && !options.repoURLs.includes(repoURL)) return;
    const resolved = resolveRepoPath('', p);
    if (resolved === undefined) {
      add(
        doc,
        jsonPath([...path, 'path']),
        `${JSON.stringify(p)} points outside the repository`,
      );
    } else if (resolved !== '' && !dirSet.has(resolved)) {
      add(
        doc,
        jsonPath([...path, 'path']),
        `${JSON.stringify(p)} does not exist in the repository`,
      );
    }
  };

  for (const doc of documents) {
    const v = doc.value;
    if (!isObject(v)) {
      if (!KUSTOMIZATION_FILES.includes(basenameOf(doc.file))) {
        // Non-object documents (lists, scalars) are not Kubernetes objects.
        if (Array.isArray(v) || typeof v !== 'object') {
          add(
            doc,
            '$',
            'is not a mapping; a Kubernetes manifest must be an object',
          );
        }
      }
      continue;
    }
    const apiVersion = v.apiVersion;
    const kind = v.kind;
    if (apiVersion === undefined && kind === undefined) continue; // values/config files
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      add(doc, '$.apiVersion', 'must be a non-empty string');
      continue;
    }
    if (typeof kind !== 'string' || kind === '') {
      add(doc, '$.kind', 'must be a non-empty string');
      continue;
    }
    const { group } = splitApiVersion(apiVersion);
    if (group === 'kustomize.config.k8s.io') continue;
    const metadata = isObject(v.metadata) ? v.metadata : undefined;
    const name = metadata ? str(metadata.name) : undefined;
    const namespace = metadata ? str(metadata.namespace) ?? '' : '';
    if (metadata && name !== undefined && !hasTemplate(name)) {
      if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
        add(
          doc,
          '$.metadata.name',
          `${JSON.stringify(
            name,
          )} is not a valid Kubernetes object name (DNS-1123 subdomain)`,
        );
      }
    }

    // Argo CD
    if (group === 'argoproj.io' && ARGO_CD_SCHEMAS[kind]) {
      const validate = compile(ARGO_CD_SCHEMAS[kind]);
      if (!validate(v)) {
        for (const i of ajvIssues(
          validate.errors,
          `the Argo CD ${kind} schema`,
        )) {
          add(doc, i.path, i.message);
        }
      }
      const spec = isObject(v.spec) ? v.spec : {};
      if (kind === 'Application') {
        argoSourcePathCheck(doc, spec.source, ['spec', 'source']);
        (Array.isArray(spec.sources) ? spec.sources : []).forEach((s, i) =>
          argoSourcePathCheck(doc, s, ['spec', 'sources', i]),
        );
      }
      if (kind === 'ApplicationSet') {
        const tmpl =
          isObject(spec.template) && isObject(spec.template.spec)
            ? spec.template.spec
            : {};
        argoSourcePathCheck(doc, tmpl.source, [
          'spec',
          'template',
          'spec',
          'source',
        ]);
        (Array.isArray(spec.generators) ? spec.generators : []).forEach(
          (g, i) => {
            if (!isObject(g) || !isObject(g.git)) return;
            const repoURL = str(g.git.repoURL);
            if (
              !repoURL ||
              (options.repoURLs && !options.repoURLs.includes(repoURL))
            )
              return;
            for (const field of ['directories', 'files'] as const) {
              const list = g.git[field];
              (Array.isArray(list) ? list : []).forEach((item, j) => {
                if (
                  !isObject(item) ||
                  typeof item.path !== 'string' ||
                  item.exclude === true
                )
                  return;
                // The fixed prefix of the glob must exist (matches may be empty).
                const prefix = item.path.split('/');
                const fixed: string[] = [];
                for (const seg of prefix) {
                  if (/[*?[{]/.test(seg)) break;
                  fixed.push(seg);
                }
                const itemPath = jsonPath([
                  'spec',
                  'generators',
                  i,
                  'git',
                  field,
                  j,
                  'path',
                ]);
                if (fixed.length === prefix.length) {
                  // No glob: the directory or file itself must exist.
                  const resolved = resolveRepoPath('', item.path);
                  if (
                    resolved === undefined ||
                    !(dirSet.has(resolved) || pathSet.has(resolved))
                  ) {
                    add(
                      doc,
                      itemPath,
                      `${JSON.stringify(
                        item.path,
                      )} does not exist in the repository`,
                    );
                  }
                } else if (fixed.length > 0) {
                  const resolved = resolveRepoPath('', fixed.join('/'));
                  if (resolved === undefined || !dirSet.has(resolved)) {
                    add(
                      doc,
                      itemPath,
                      `${JSON.stringify(
                        item.path,
                      )}: the directory ${JSON.stringify(
                        fixed.join('/'),
                      )} does not exist in the repository`,
                    );
                  }
                }
              });
            }
          },
        );
      }
    }

    // Crossplane XRs and claims against the XRD of this tree.
    const compositeType = compositeTypes.get(`${apiVersion}|${kind}`);
    if (compositeType) {
      compositeType.validate ??= compile(
        compositeObjectSchema(compositeType.schema, compositeType.style),
      );
      const validate = compositeType.validate;
      if (!validate(v)) {
        for (const i of ajvIssues(
          validate.errors,
          `the XRD ${compositeType.xrdName}`,
        )) {
          add(doc, i.path, i.message);
        }
      }
      const spec = isObject(v.spec) ? v.spec : {};
      let selectorHolder: Obj = spec;
      if (compositeType.style === 'namespaced') {
        selectorHolder = isObject(spec.crossplane) ? spec.crossplane : {};
      }
      const selector = isObject(selectorHolder.compositionSelector)
        ? selectorHolder.compositionSelector
        : undefined;
      const forType = compositions.filter(
        c =>
          c.apiVersion === compositeType.compositeApiVersion &&
          c.kind === compositeType.compositeKind,
      );
      if (
        selector &&
        isObject(selector.matchLabels) &&
        compositions.length > 0
      ) {
        const wanted = selector.matchLabels;
        const match = forType.some(c =>
          Object.entries(wanted).every(([lk, lv]) => c.labels[lk] === lv),
        );
        if (!match) {
          const selectorPath =
            compositeType.style === 'namespaced'
              ? ['spec', 'crossplane', 'compositionSelector', 'matchLabels']
              : ['spec', 'compositionSelector', 'matchLabels'];
          add(
            doc,
            jsonPath(selectorPath),
            `no Composition for ${compositeType.compositeKind}.${
              splitApiVersion(compositeType.compositeApiVersion).group
            } in the repository has the labels ${JSON.stringify(wanted)}`,
          );
        }
      }
    } else if (xrdGroups.has(group)) {
      add(
        doc,
        '$.kind',
        `no XRD in the repository defines ${kind} in ${apiVersion}`,
      );
    }

    // Composition → XRD
    if (
      kind === 'Composition' &&
      group === 'apiextensions.crossplane.io' &&
      xrdGroups.size > 0
    ) {
      const ref =
        isObject(v.spec) && isObject(v.spec.compositeTypeRef)
          ? v.spec.compositeTypeRef
          : {};
      const t = compositeTypes.get(`${str(ref.apiVersion)}|${str(ref.kind)}`);
      const refGroup = splitApiVersion(str(ref.apiVersion) ?? '').group;
      if ((!t || t.style === 'claim') && xrdGroups.has(refGroup)) {
        add(
          doc,
          '$.spec.compositeTypeRef',
          `no XRD in the repository defines the composite type ${str(
            ref.kind,
          )} in ${str(ref.apiVersion)}`,
        );
      }
    }

    // Environment documents
    if (apiVersion === ENVIRONMENT_API_VERSION && kind === ENVIRONMENT_KIND) {
      const parsed = safeParseEnvironmentSpec(v.spec);
      if (!parsed.success) {
        for (const i of parsed.issues) {
          add(doc, `$.${i.path}`, i.message);
        }
      } else {
        const expected = `${ENVIRONMENTS_DIR}/${parsed.spec.name}/${ENVIRONMENT_FILE_NAME}`;
        if (doc.file !== expected && isInside(doc.file, ENVIRONMENTS_DIR)) {
          add(
            doc,
            '$.spec.name',
            `environment ${JSON.stringify(
              parsed.spec.name,
            )} must live in ${expected}`,
          );
        }
        if (name !== parsed.spec.name) {
          add(
            doc,
            '$.metadata.name',
            `must equal spec.name (${JSON.stringify(parsed.spec.name)})`,
          );
        }
      }
    }

    // Unique names per kind and namespace.
    if (name !== undefined && !hasTemplate(name) && !patchFiles.has(doc.file)) {
      const key = `${group}|${kind}|${namespace}|${name}`;
      const prev = seenNames.get(key);
      if (prev) {
        add(
          doc,
          '$.metadata.name',
          `duplicate ${kind} ${JSON.stringify(name)}${
            namespace ? ` in namespace ${JSON.stringify(namespace)}` : ''
          }: already defined in ${prev.file} (document ${prev.documentIndex})`,
        );
      } else {
        seenNames.set(key, doc);
      }
    }
  }

  options.onTiming?.('checks', performance.now() - start);
  issues.push(
    ...runRules(REPOSITORY_RULES, files, documents, undefined, {
      tree,
      onRuleTimed: options.onTiming,
    }),
  );

  issues.sort(
    (a, b) =>
      compareStrings(a.file, b.file) ||
      a.documentIndex - b.documentIndex ||
      compareStrings(a.path, b.path),
  );
  return { ok: issues.length === 0, issues };
}

/** Formats issues one per line as `file[#doc] path: message`. @public */
export function formatValidationIssues(issues: ValidationIssue[]): string {
  return issues
    .map(
      i =>
        `${i.file}${i.documentIndex >= 0 ? `#${i.documentIndex}` : ''} ${
          i.path
        }: ${i.message}`,
    )
    .join('\n');
}
