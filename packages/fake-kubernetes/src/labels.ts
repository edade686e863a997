import { createLabelMatcher } from '@epicshelter/label-selector';

/** Thrown for selectors the Kubernetes API would reject with 400. */
export class BadSelectorError extends Error {}

/** Parses a label selector as the API server does into a predicate over labels. */
export function labelPredicate(
  selector: string,
): (labels: Record<string, string> | undefined) => boolean {
  try {
    return createLabelMatcher(selector);
  } catch (e) {
    throw new BadSelectorError((e as Error).message);
  }
}

/** Parses a field selector (`a=b,c!=d`) into a predicate over an object. */
export function fieldPredicate(
  selector: string,
): (obj: Record<string, any>) => boolean {
  // Field selectors have no set-based requirements, so commas always separate.
  const reqs = selector
    .split(',')
    .map(part => part.trim())
    .filter(Boolean)
    .map(part => {
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
