import { basenameOf, dirnameOf } from '../../paths';
import { RepositoryTree } from '../repositoryTree';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One Application an ApplicationSet generates. */
export interface GeneratedApplication {
  value: Obj;
  /** Index of the generator that produced it (`spec.generators[i]`). */
  generatorIndex: number;
}

/** Result of {@link expandApplicationSet}. */
export interface ExpandResult {
  applications: GeneratedApplication[];
  /** Generators the check cannot evaluate (they are skipped). */
  problems: string[];
}

/** `path.Match`-style glob: `*` and `?` never cross a `/`. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Flattens a document the way the git files generator does (`a.b.c`, `list.0`). */
function flatten(
  value: unknown,
  prefix = '',
  out: Record<string, string> = {},
) {
  if (isObj(value) || Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
    }
  } else if (prefix !== '' && value !== null && value !== undefined) {
    out[prefix] = String(value);
  }
  return out;
}

function pathParams(dir: string): Record<string, string> {
  const params: Record<string, string> = {
    path: dir,
    'path.path': dir,
    'path.basename': basenameOf(dir),
    'path.basenameNormalized': basenameOf(dir).replace(/[^a-zA-Z0-9-]/g, '-'),
  };
  dir.split('/').forEach((s, i) => {
    params[`path[${i}]`] = s;
    params[`path.segments[${i}]`] = s;
  });
  return params;
}

/** Whether generator parameters match a Kubernetes label selector. */
export function matchesSelector(
  params: Record<string, string>,
  selector: unknown,
): boolean {
  if (!isObj(selector)) return true;
  const labels = isObj(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(labels)) {
    if (params[k] !== String(v)) return false;
  }
  const expressions = Array.isArray(selector.matchExpressions)
    ? selector.matchExpressions
    : [];
  for (const e of expressions) {
    if (!isObj(e) || typeof e.key !== 'string') continue;
    const has = e.key in params;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    let ok: boolean;
    switch (e.operator) {
      case 'Exists':
        ok = has;
        break;
      case 'DoesNotExist':
        ok = !has;
        break;
      case 'In':
        ok = has && values.includes(params[e.key]);
        break;
      case 'NotIn':
        ok = !has || !values.includes(params[e.key]);
        break;
      default:
        ok = true;
    }
    if (!ok) return false;
  }
  return true;
}

function render(template: unknown, params: Record<string, string>): unknown {
  if (typeof template === 'string') {
    return template.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (m, key: string) =>
      key in params ? params[key] : m,
    );
  }
  if (Array.isArray(template)) return template.map(t => render(t, params));
  if (isObj(template)) {
    return Object.fromEntries(
      Object.entries(template).map(([k, v]) => [k, render(v, params)]),
    );
  }
  return template;
}

type Params = Record<string, string>;

/**
 * The parameters a generator's selector keeps. For the parameters of git
 * files (`listKey` names them), candidates are looked up by the selector's
 * most selective matchLabels entry in indexes built once per tree, so a
 * thousand per-environment ApplicationSets do not each scan every
 * environment file; the selector then filters the candidates as before.
 */
function selectParams(
  tree: RepositoryTree,
  listKey: string | undefined,
  params: Params[],
  selector: unknown,
): Params[] {
  const labels =
    isObj(selector) && isObj(selector.matchLabels)
      ? Object.entries(selector.matchLabels)
      : [];
  let candidates = params;
  if (listKey !== undefined) {
    for (const [key, value] of labels) {
      const index = tree.derive(`${listKey}\n${key}`, () => {
        const byValue = new Map<string, Params[]>();
        for (const p of params) {
          if (!Object.hasOwn(p, key)) continue;
          const list = byValue.get(p[key]);
          if (list) list.push(p);
          else byValue.set(p[key], [p]);
        }
        return byValue;
      });
      const bucket = index.get(String(value)) ?? [];
      if (bucket.length < candidates.length) candidates = bucket;
    }
  }
  return candidates.filter(p => matchesSelector(p, selector));
}

/** The parameters of the files a git files generator reads (memoised per tree under listKey). */
function gitFilesParams(
  tree: RepositoryTree,
  globs: string[],
  listKey: string,
): Params[] {
  return tree.derive(listKey, () => {
    const params: Params[] = [];
    for (const glob of globs) {
      for (const f of tree.matching(globToRegExp(glob))) {
        let p = tree.generatorParams.get(f);
        if (!p) {
          const doc = tree.yaml(f);
          if (doc === undefined) continue;
          p = {
            ...flatten(doc),
            ...pathParams(dirnameOf(f)),
            'path.filename': basenameOf(f),
          };
          tree.generatorParams.set(f, p);
        }
        params.push(p);
      }
    }
    return params;
  });
}

function gitParams(
  tree: RepositoryTree,
  git: Obj,
): { params: Params[]; listKey?: string; problem?: string } {
  const params: Params[] = [];
  if (Array.isArray(git.directories)) {
    const include = git.directories.filter(d => isObj(d) && !d.exclude);
    const exclude = git.directories.filter(d => isObj(d) && d.exclude);
    const matches = (d: string, list: unknown[]) =>
      list.some(x => isObj(x) && globToRegExp(String(x.path)).test(d));
    for (const d of tree.directories()) {
      if (matches(d, include) && !matches(d, exclude)) {
        params.push(pathParams(d));
      }
    }
    return { params };
  }
  if (Array.isArray(git.files)) {
    const globs = git.files.filter(isObj).map(e => String(e.path));
    const listKey = `git-files\n${JSON.stringify(globs)}`;
    return { params: gitFilesParams(tree, globs, listKey), listKey };
  }
  return { params, problem: 'a git generator without directories or files' };
}

/**
 * Expands an ApplicationSet's git (directories, files) and list generators
 * against a repository tree, applies each generator's selector and renders
 * the template with the fasttemplate `{{param}}` syntax. Other generators
 * (clusters, matrix, merge, SCM, pull requests) are reported, not guessed.
 */
export function expandApplicationSet(
  tree: RepositoryTree,
  appSet: Obj,
): ExpandResult {
  const spec = isObj(appSet.spec) ? appSet.spec : {};
  const template = isObj(spec.template) ? spec.template : {};
  const applications: GeneratedApplication[] = [];
  const problems: string[] = [];
  if (spec.goTemplate === true) {
    problems.push('goTemplate ApplicationSets are not evaluated');
    return { applications, problems };
  }
  const generators = Array.isArray(spec.generators) ? spec.generators : [];
  generators.forEach((g, generatorIndex) => {
    if (!isObj(g)) return;
    let params: Params[] = [];
    let listKey: string | undefined;
    if (isObj(g.git)) {
      const r = gitParams(tree, g.git);
      params = r.params;
      listKey = r.listKey;
      if (r.problem) problems.push(`generator ${generatorIndex}: ${r.problem}`);
    } else if (isObj(g.list) && Array.isArray(g.list.elements)) {
      params = g.list.elements.filter(isObj).map(e => flatten(e));
    } else {
      problems.push(
        `generator ${generatorIndex} (${Object.keys(g).join(
          ', ',
        )}) is not evaluated`,
      );
      return;
    }
    for (const p of selectParams(tree, listKey, params, g.selector)) {
      const rendered = render(template, p) as Obj;
      applications.push({
        value: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          ...rendered,
          metadata: {
            namespace: isObj(appSet.metadata)
              ? appSet.metadata.namespace
              : undefined,
            ...(isObj(rendered.metadata) ? rendered.metadata : {}),
          },
        },
        generatorIndex,
      });
    }
  });
  return { applications, problems };
}
