/**
 * Crossplane field paths (crossplane-runtime `fieldpath`): `a.b[0].c`,
 * `metadata.labels[app.kubernetes.io/name]`. A bracket holding an unsigned
 * integer is an array index, anything else a field name taken verbatim.
 */
export type Segment = string | number;

const parsed = new Map<string, Segment[] | Error>();

/** Parses a field path; throws on a malformed one. */
export function parseFieldPath(path: string): Segment[] {
  let result = parsed.get(path);
  if (result === undefined) {
    try {
      result = parse(path);
    } catch (e) {
      result = e as Error;
    }
    parsed.set(path, result);
  }
  if (result instanceof Error) throw result;
  return result;
}

function parse(path: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let field = '';
  const flush = () => {
    if (field !== '') out.push(field);
    field = '';
  };
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      if (field === '' && (out.length === 0 || path[i - 1] === '.')) {
        throw new Error(
          `field path ${JSON.stringify(path)} has an empty field`,
        );
      }
      flush();
      i++;
    } else if (c === '[') {
      flush();
      const end = path.indexOf(']', i);
      if (end < 0)
        throw new Error(
          `field path ${JSON.stringify(path)} has an unterminated [`,
        );
      const inner = path.slice(i + 1, end);
      if (inner === '')
        throw new Error(`field path ${JSON.stringify(path)} has an empty []`);
      out.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = end + 1;
    } else if (c === ']') {
      throw new Error(`field path ${JSON.stringify(path)} has an unexpected ]`);
    } else {
      field += c;
      i++;
    }
  }
  flush();
  if (out.length === 0) throw new Error('field path is empty');
  return out;
}

/** Formats segments back into a field path. */
export function formatFieldPath(segments: Segment[]): string {
  return segments
    .map((s, i) => {
      if (typeof s === 'number' || /[.[\]]/.test(s)) return `[${s}]`;
      return i === 0 ? s : `.${s}`;
    })
    .join('');
}

/** Reads a value; `undefined` when any segment is missing. */
export function getFieldPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const s of parseFieldPath(path)) {
    if (typeof s === 'number') {
      if (!Array.isArray(cur) || s >= cur.length) return undefined;
      cur = cur[s];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur))
        return undefined;
      if (!Object.prototype.hasOwnProperty.call(cur, s)) return undefined;
      cur = (cur as Record<string, unknown>)[s];
    }
  }
  return cur;
}

/**
 * Writes a value, creating objects and arrays on the way and growing arrays
 * to the index written (as crossplane-runtime's Paved.SetValue does); throws
 * when an existing value on the way has the wrong type.
 */
export function setFieldPath(
  obj: Record<string, unknown>,
  path: string,
  value: unknown,
) {
  const segments = parseFieldPath(path);
  let cur: unknown = obj;
  segments.forEach((s, i) => {
    const last = i === segments.length - 1;
    const nextIsIndex = !last && typeof segments[i + 1] === 'number';
    const here = formatFieldPath(segments.slice(0, i + 1));
    if (typeof s === 'number') {
      if (!Array.isArray(cur))
        throw new Error(
          `${formatFieldPath(segments.slice(0, i))} is not an array`,
        );
      while (cur.length <= s) cur.push(null);
      if (last) cur[s] = value;
      else if (cur[s] === null || cur[s] === undefined)
        cur[s] = nextIsIndex ? [] : {};
      cur = cur[s];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) {
        throw new Error(
          `${
            formatFieldPath(segments.slice(0, i)) || 'the object'
          } is not an object`,
        );
      }
      const o = cur as Record<string, unknown>;
      if (last) o[s] = value;
      else if (o[s] === null || o[s] === undefined)
        o[s] = nextIsIndex ? [] : {};
      else if (
        nextIsIndex
          ? !Array.isArray(o[s])
          : typeof o[s] !== 'object' || Array.isArray(o[s])
      ) {
        throw new Error(
          `${here} is not an ${nextIsIndex ? 'array' : 'object'}`,
        );
      }
      cur = o[s];
    }
  });
}
