type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

/** Thrown for selectors the Kubernetes API would reject with 400. */
export class BadSelectorError extends Error {}

function split(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map(s => s.trim()).filter(Boolean);
}

/** Parses a label selector as the API server does (subset: =, ==, !=, in, notin, exists, !exists). */
export function parseSelector(selector: string): Requirement[] {
  return split(selector).map(part => {
    let m = part.match(/^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/);
    if (m) {
      return {
        key: m[1],
        op: m[2] as 'in' | 'notin',
        values: m[3].split(',').map(v => v.trim()),
      };
    }
    m = part.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/);
    if (m) {
      return { key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] };
    }
    m = part.match(/^!([\w./-]+)$/);
    if (m) return { key: m[1], op: '!exists' };
    if (/^[\w./-]+$/.test(part)) return { key: part, op: 'exists' };
    throw new BadSelectorError(`unable to parse requirement: ${part}`);
  });
}

/** Whether labels satisfy every requirement. */
export function matches(
  reqs: Requirement[],
  labels: Record<string, string> = {},
): boolean {
  return reqs.every(r => {
    const has = r.key in labels;
    if (!('values' in r)) return r.op === 'exists' ? has : !has;
    const listed = has && r.values.includes(labels[r.key]);
    return r.op === 'in' ? listed : !listed;
  });
}

/** Parses a field selector (`a=b,c!=d`) into a predicate over an object. */
export function fieldPredicate(
  selector: string,
): (obj: Record<string, any>) => boolean {
  const reqs = split(selector).map(part => {
    const m = part.match(/^([\w.]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw new BadSelectorError(`invalid field selector: ${part}`);
    return { path: m[1].split('.'), neg: m[2] === '!=', value: m[3] };
  });
  return obj =>
    reqs.every(r => {
      const v = r.path.reduce<any>((o, k) => (o ? o[k] : undefined), obj);
      const eq = String(v ?? '') === r.value;
      return r.neg ? !eq : eq;
    });
}
