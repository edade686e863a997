/**
 * One requirement of a Kubernetes label selector.
 * @public
 */
export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesnotexist' };

const KEY =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

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

function checkKey(key: string, selector: string) {
  if (!KEY.test(key)) {
    throw new Error(`Invalid label key '${key}' in selector '${selector}'`);
  }
}
function checkValue(value: string, selector: string) {
  if (!VALUE.test(value) || value.length > 63) {
    throw new Error(`Invalid label value '${value}' in selector '${selector}'`);
  }
}

/**
 * Parses a Kubernetes label selector (`a=b,c!=d,e in (f,g),!h,i`).
 * Throws an Error naming the bad part when the selector is invalid.
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTopLevel(selector).map(part => {
    let m = part.match(/^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/);
    if (m) {
      checkKey(m[1], selector);
      const values = m[3]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean);
      values.forEach(v => checkValue(v, selector));
      return { key: m[1], op: m[2] as 'in' | 'notin', values };
    }
    m = part.match(/^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/);
    if (m) {
      checkKey(m[1], selector);
      checkValue(m[3], selector);
      return {
        key: m[1],
        op: m[2] === '!=' ? 'notin' : 'in',
        values: [m[3]],
      };
    }
    m = part.match(/^!\s*(\S+)$/);
    if (m) {
      checkKey(m[1], selector);
      return { key: m[1], op: 'doesnotexist' };
    }
    checkKey(part, selector);
    return { key: part, op: 'exists' };
  });
}

/**
 * Whether labels match parsed selector requirements.
 * @public
 */
export function matchesLabelSelector(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'doesnotexist':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      default:
        return false;
    }
  });
}
