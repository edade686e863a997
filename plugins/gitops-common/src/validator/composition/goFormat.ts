/**
 * Go's fmt.Sprintf as function-patch-and-transform applies it to values read
 * from Kubernetes objects (strings, int64 and float64 numbers, bools, maps, slices),
 * including Go's error texts: a verb without an argument gives
 * `%!s(MISSING)`, an argument without a verb `%!(EXTRA string=x)`, a wrong
 * type `%!d(string=x)`.
 */
export function goSprintf(format: string, args: unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const verb = format[++i];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatVerb(verb, args[next++]);
  }
  if (next < args.length) {
    out += `%!(EXTRA ${args
      .slice(next)
      .map(a => `${goType(a)}=${goValue(a)}`)
      .join(', ')})`;
  }
  return out;
}

/**
 * The Go type name of a value as functions see it: the SDK decodes objects
 * with Kubernetes' unstructured JSON decoder, so integral numbers are int64
 * and others float64.
 */
export function goType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (v === null || v === undefined) return '<nil>';
  return 'map[string]interface {}';
}

/** Go's %v rendering. */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o)
    .sort()
    .map(k => `${k}:${goValue(o[k])}`)
    .join(' ')}]`;
}

function formatFloat(n: number): string {
  // %v of an int64 is decimal, of a float64 the shortest representation.
  return String(n);
}

function formatVerb(verb: string, arg: unknown): string {
  switch (verb) {
    case 'v':
      return goValue(arg);
    case 's':
      return typeof arg === 'string'
        ? arg
        : `%!s(${goType(arg)}=${goValue(arg)})`;
    case 'q':
      return typeof arg === 'string'
        ? JSON.stringify(arg)
        : `%!q(${goType(arg)}=${goValue(arg)})`;
    case 't':
      return typeof arg === 'boolean'
        ? String(arg)
        : `%!t(${goType(arg)}=${goValue(arg)})`;
    case 'd':
      return goType(arg) === 'int64'
        ? goValue(arg)
        : `%!d(${goType(arg)}=${goValue(arg)})`;
    case 'f':
      return typeof arg === 'number'
        ? arg.toFixed(6)
        : `%!f(${goType(arg)}=${goValue(arg)})`;
    default:
      return `%!${verb}(${goType(arg)}=${goValue(arg)})`;
  }
}
