import { InputError } from '@backstage/errors';

/** A parsed Kubernetes label selector: true when the labels match. */
export type LabelMatcher = (labels: Record<string, string>) => boolean;

// Label keys: optional DNS-subdomain prefix and a name; values may be empty.
const KEY =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas outside parentheses (`a in (x,y),b` → `a in (x,y)`, `b`). */
function requirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
    if (depth < 0 || depth > 1) return [];
  }
  if (depth !== 0) return [];
  parts.push(selector.slice(start));
  return parts.map(p => p.trim());
}

function checkKey(key: string, part: string) {
  if (!KEY.test(key) || key.length > 316) {
    throw new Error(`invalid label key "${key}" in "${part}"`);
  }
}

function checkValue(value: string, part: string) {
  if (!VALUE.test(value) || value.length > 63) {
    throw new Error(`invalid label value "${value}" in "${part}"`);
  }
}

function requirement(part: string): LabelMatcher {
  let m = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part);
  if (m) {
    const [, key, op, list] = m;
    checkKey(key, part);
    const values = list.split(',').map(v => v.trim());
    values.forEach(v => checkValue(v, part));
    const set = new Set(values);
    return op === 'in'
      ? l => key in l && set.has(l[key])
      : l => !(key in l) || !set.has(l[key]);
  }
  m = /^([^\s=!]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (m) {
    const [, key, op, value] = m;
    checkKey(key, part);
    checkValue(value, part);
    // As in Kubernetes, `k!=v` also matches objects without the label.
    return op === '!=' ? l => l[key] !== value : l => l[key] === value;
  }
  m = /^(!?)\s*([^\s=!()]+)$/.exec(part);
  if (m) {
    const [, negated, key] = m;
    checkKey(key, part);
    return negated ? l => !(key in l) : l => key in l;
  }
  throw new Error(`cannot parse requirement "${part}"`);
}

/**
 * Parses a Kubernetes label selector as Argo CD's `?selector=` accepts it
 * (`k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by
 * commas), so the backend can select applications from a shared list exactly as
 * Argo CD would. Throws an InputError naming the bad selector.
 */
export function parseLabelSelector(selector: string): LabelMatcher {
  const parts = requirements(selector);
  try {
    if (parts.length === 0 || parts.some(p => p === '')) {
      throw new Error('unbalanced parentheses or empty requirement');
    }
    const matchers = parts.map(requirement);
    return labels => matchers.every(match => match(labels));
  } catch (e) {
    throw new InputError(
      `The Argo CD label selector "${selector}" is not valid (${
        (e as Error).message
      }); fix the argocd/app-selector annotation, e.g. app.kubernetes.io/name=my-service`,
    );
  }
}
