import { stringify } from 'yaml';

const YAML_OPTIONS = {
  lineWidth: 0,
  minContentWidth: 0,
  aliasDuplicateObjects: false,
  sortMapEntries: false,
  // Same quoting as the repository's Prettier config, so generated files pass `prettier --check`.
  singleQuote: true,
} as const;

/**
 * Serialises a value as one YAML document, byte for byte as the `yaml`
 * library writes it with the options above. Strings are always quoted
 * safely, so no input can inject YAML. Plain data (what the generator
 * writes: maps, lists, printable ASCII strings, safe integers, booleans,
 * null) is written directly, about ten times faster; anything
 * else by `yaml` itself (yaml.test.ts compares both).
 * @public
 */
export function toYaml(value: unknown): string {
  return writeBlockYaml(value) ?? stringify(value, YAML_OPTIONS);
}

/** Serialises several values as a multi-document YAML stream. @public */
export function toYamlStream(values: unknown[]): string {
  return values.map(v => toYaml(v)).join('---\n');
}

/** The reference: what `yaml` writes (exported for the equivalence test). */
export function toYamlWithYaml(value: unknown): string {
  return stringify(value, YAML_OPTIONS);
}

/** Thrown inside the writer when a value needs `yaml` itself. */
const UNSUPPORTED = Symbol('unsupported');

// Plain scalars `yaml` (core schema) would read as something other than a
// string, so it quotes them: the tests of its null, bool, int and float tags.
const NOT_A_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
/** What `yaml`'s plainString refuses to write plain (stringifyString.ts). */
const NOT_PLAIN =
  /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Printable ASCII on one line: the strings written here; others go to `yaml`. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/**
 * A document marker at the start, which `yaml` writes plain or quoted by
 * context (a leading `%` is always quoted: NOT_PLAIN).
 */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)/;

/** A string as `yaml` writes it with singleQuote (keys and values alike, one line). */
function scalarString(s: string): string {
  if (!PRINTABLE_ASCII.test(s) || DOCUMENT_MARKER.test(s) || s.length > 1000)
    throw UNSUPPORTED;
  if (
    !NOT_PLAIN.test(s) &&
    s !== '' &&
    // Each of those tests needs one of these first characters.
    !(/^[-+.0-9~nNtTfF]/.test(s) && NOT_A_STRING.some(r => r.test(s)))
  )
    return s;
  // quotedString: single quotes unless only single quotes are inside.
  if (s.includes("'") && !s.includes('"'))
    return `"${s.replace(/\\/g, '\\\\')}"`;
  return `'${s.replace(/'/g, "''")}'`;
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return scalarString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return 'null';
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0))
    return String(v);
  throw UNSUPPORTED;
}

/**
 * A multi-line string as `yaml`'s blockString writes it (literal, lineWidth
 * 0), content lines at `indent`: the common shape only (a kustomize patch,
 * a script); leading or trailing blanks and kept final newlines go to `yaml`.
 */
function blockLiteral(s: string, indent: string): string {
  if (
    !/^[\x20-\x7e\n]*$/.test(s) ||
    s[0] === ' ' ||
    s[0] === '\n' ||
    / \n| $|\n\n$/.test(s) ||
    /^(?:%|---|\.\.\.)/m.test(s)
  )
    throw UNSUPPORTED;
  const keep = s.endsWith('\n');
  const body = (keep ? s.slice(0, -1) : s).replace(/\n+/g, m => m + indent);
  return `|${keep ? '' : '-'}\n${indent}${body}`;
}

/** A value after `key: ` or `- `, block scalars with their content at `indent`. */
const valueAt = (v: unknown, indent: string): string =>
  typeof v === 'string' && v.includes('\n')
    ? blockLiteral(v, indent)
    : inline(v);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype;

/** A non-empty list or map (written in block style). */
const isCollection = (v: unknown): boolean =>
  Array.isArray(v)
    ? v.length > 0
    : isPlainObject(v) && Object.keys(v).length > 0;

/** A collection's lines at an indentation (non-empty collections only). */
function writeCollection(v: unknown, indent: string, out: string[]) {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) throw UNSUPPORTED; // holes
      writeItem(v[i], indent, out);
    }
    return;
  }
  if (!isPlainObject(v)) throw UNSUPPORTED;
  for (const key of Object.keys(v)) {
    const value = v[key];
    if (value === undefined) throw UNSUPPORTED;
    const k = scalarString(key);
    if (isCollection(value)) {
      out.push(`${indent}${k}:\n`);
      writeCollection(value, `${indent}  `, out);
    } else {
      out.push(`${indent}${k}: ${valueAt(value, `${indent}  `)}\n`);
    }
  }
}

/** A list item: `- scalar`, `- {}`, or a map whose first pair shares the dash's line. */
function writeItem(item: unknown, indent: string, out: string[]) {
  if (Array.isArray(item) && item.length > 0) throw UNSUPPORTED; // `- - x`
  if (!isCollection(item)) {
    out.push(`${indent}- ${valueAt(item, `${indent}  `)}\n`);
    return;
  }
  const start = out.length;
  writeCollection(item, `${indent}  `, out);
  out[start] = `${indent}- ${out[start].slice(indent.length + 2)}`;
}

/** A value on its key's or dash's line: a scalar, `{}` or `[]`. */
function inline(v: unknown): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    throw UNSUPPORTED;
  }
  if (typeof v === 'object' && v !== null) {
    if (isPlainObject(v) && Object.keys(v).length === 0) return '{}';
    throw UNSUPPORTED;
  }
  return scalar(v);
}

/** Writes a map or list of plain data as `yaml` would, or undefined for anything else (then toYaml asks `yaml`). */
export function writeBlockYaml(value: unknown): string | undefined {
  if (!isCollection(value)) return undefined;
  const out: string[] = [];
  try {
    writeCollection(value, '', out);
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
  return out.join('');
}
