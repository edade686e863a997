/**
 * Kubernetes label selectors as Argo CD accepts them in `?selector=`:
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by commas.
 */
type Requirement = (labels: Record<string, string>) => boolean;

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(Boolean);
}

/** Parses a selector; throws an Error naming the bad requirement. */
export function parseSelector(selector: string): Requirement {
  const reqs: Requirement[] = splitTopLevel(selector).map(part => {
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const [, key, op, list] = m;
      const values = list.split(',').map(v => v.trim());
      return op === 'in'
        ? l => key in l && values.includes(l[key])
        : l => !(key in l) || !values.includes(l[key]);
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(part);
    if (m) {
      const [, key, op, value] = m;
      return op === '!=' ? l => l[key] !== value : l => l[key] === value;
    }
    m = /^(!?)([\w./-]+)$/.exec(part);
    if (m) {
      const [, neg, key] = m;
      return neg ? l => !(key in l) : l => key in l;
    }
    throw new Error(`unable to parse requirement: "${part}"`);
  });
  return labels => reqs.every(r => r(labels));
}
