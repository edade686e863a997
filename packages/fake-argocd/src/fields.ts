/**
 * Argo CD's `fields=` projection on list calls: a comma-separated list of
 * dotted paths such as `items.metadata.name,items.status.sync.status`.
 * Only the listed paths are kept; arrays are projected element-wise.
 */
type Tree = { [key: string]: Tree | true };

function buildTree(paths: string[]): Tree {
  const root: Tree = {};
  for (const path of paths) {
    const segments = path.split('.').filter(Boolean);
    let node: Tree = root;
    segments.forEach((seg, i) => {
      if (i === segments.length - 1) {
        node[seg] = true;
      } else {
        const next = node[seg];
        if (next === true) return;
        if (!next) node[seg] = {};
        node = node[seg] as Tree;
      }
    });
  }
  return root;
}

function project(value: unknown, tree: Tree): unknown {
  if (Array.isArray(value)) return value.map(v => project(v, tree));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(tree)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    out[key] = sub === true ? v : project(v, sub);
  }
  return out;
}

/** Applies a `fields=` projection to a response body. */
export function projectFields(body: unknown, fields: string | null): unknown {
  if (!fields) return body;
  const paths = fields
    .split(',')
    .map(f => f.trim())
    .filter(Boolean);
  if (paths.length === 0) return body;
  return project(body, buildTree(paths));
}
