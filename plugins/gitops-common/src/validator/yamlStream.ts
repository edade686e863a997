import { Document, parse, parseAllDocuments } from 'yaml';
import { FAILSAFE_SCHEMA, Type, loadAll } from 'js-yaml';

/**
 * One document of a YAML stream: its value (null for an empty document), or
 * why it cannot be read (the validator's issue message).
 */
export type StreamDocument = { value: unknown } | { error: string };

/** Reads a YAML stream with the `yaml` library: the reference behaviour. */
export function readYamlStreamWithYaml(content: string): StreamDocument[] {
  const all = parseAllDocuments(content, {
    prettyErrors: false,
  }) as Document.Parsed[];
  return all.map(doc => {
    if (doc.errors.length > 0) {
      return {
        error: `YAML syntax error: ${doc.errors
          .map(
            e =>
              `${e.message.split('\n')[0]} (line ${
                (e.linePos?.[0].line ?? 0) || '?'
              })`,
          )
          .join('; ')}`,
      };
    }
    try {
      return { value: doc.toJS({ maxAliasCount: 100 }) };
    } catch (e) {
      return { error: `cannot be read: ${(e as Error).message}` };
    }
  });
}

// The YAML 1.2 core schema exactly as `yaml` resolves plain scalars
// (yaml/dist/schema/core): js-yaml's own core schema also reads `1_000`
// and `+.5e3`-style numbers.
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const YAML_CORE = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:~|[Nn]ull|NULL)?$/.test(s),
      construct: () => null,
    }),
    new Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (s: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s),
      construct: (s: string) => s[0] === 't' || s[0] === 'T',
    }),
    new Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (s: string) => INT.test(s) || OCT.test(s) || HEX.test(s),
      construct: (s: string) => {
        if (OCT.test(s)) return parseInt(s.substring(2), 8);
        if (HEX.test(s)) return parseInt(s.substring(2), 16);
        return parseInt(s, 10);
      },
    }),
    new Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (s: string) => NAN_INF.test(s) || EXP.test(s) || FLOAT.test(s),
      construct: (s: string) => {
        if (!NAN_INF.test(s)) return parseFloat(s);
        if (s.slice(-3).toLowerCase() === 'nan') return NaN;
        return s[0] === '-'
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY;
      },
    }),
  ],
});

/**
 * Text the fast reader leaves to `yaml`, because js-yaml reads it
 * differently (found by comparing both on random documents):
 */
const LEFT_TO_YAML = new RegExp(
  [
    // anchors, aliases, tags and explicit keys (where a node starts)
    /(?:^ *|[:-] +|[[{,] *)[&*!?]/,
    // directives, document end markers, content on a document start marker
    /^%|^\.\.\.|^---\S|^--- +[^#\s]/,
    // block scalars with an indentation indicator, keeping trailing lines
    // (`|+`) or outside a mapping value
    /[|>][-+]?[0-9]|[|>][0-9]?\+|^ *(?:- +)*[|>]/,
    // null, empty and flow collection keys, non-empty flow mappings
    /(?:^|[\s[{,])(?:~|null|Null|NULL)?:(?:[\s,\]}]|$)|[\]}] *:(?:\s|$)|(?:^|[\s[,])\{(?!\})/,
    // comments glued to a quoted scalar or a flow collection
    /["'\]}]#/,
    // empty sequence items (js-yaml may merge what follows into them)
    /^ *(?:- +)*-[ ]*(?:#.*)?$/,
  ]
    .map(r => r.source)
    .join('|'),
  'm',
);
/** Tabs, carriage returns, byte order marks, non-printable characters (anywhere, quoted scalars included). */
const UNUSUAL_CHARACTERS =
  /[\t\r\uFEFF]|[^\n\x20-\x7E\u00A0-\uD7FF\uE000-\uFFFD]/;
/** A line over 1,000 characters (yaml limits implicit keys to 1,024). */
const LONG_LINE = /[^\n]{1001}/;
/**
 * A quoted scalar that is a key's value, a sequence item or a line of its
 * own and ends its line (what generators write for JSON in a string, like
 * an IAM policy): both libraries read flow indicators, `#`, `&` and the like
 * inside it as text, so the checks above look at the text with each such
 * scalar emptied. Group 1: what precedes it.
 */
const QUOTED_TO_LINE_END =
  /(^ *(?:- +)*|: +)(?:'(?:[^'\n]|'')*'|"(?:[^"\\\n]|\\[^\n])*")(?= *$)/gm;
/** The first line with content (not a comment) starts in column 1. */
const ROOT_IN_COLUMN_1 = /^(?:[ ]*(?:#.*)?\n)*[^#\s]/;
/** A quoted scalar starting a line, a key's value or an item (group 2 should close it). */
const QUOTED_START = /(?:^ *|: +|- +)(["'])(.*)$/;
const BLOCK_SCALAR_HEADER = /(?:^|[\s:-])[|>][-+]?[ ]*(?:#.*)?$/;

/**
 * Lines the fast reader leaves to `yaml` too: lines over 1,000 characters
 * (yaml limits implicit keys to 1,024), flow collections and quoted scalars
 * left open at the end of a line, and a line that goes back to an indentation no enclosing
 * node has (js-yaml accepts sequence items at drifting columns).
 */
function needsYamlLines(content: string): boolean {
  const levels: number[] = [];
  let blockScalar = -1; // indentation its content lines go beyond
  for (let start = 0; start < content.length; ) {
    let end = content.indexOf('\n', start);
    if (end < 0) end = content.length;
    if (end - start > 1000) return true;
    const line = content.slice(start, end);
    start = end + 1;
    let indent = 0;
    while (line.charCodeAt(indent) === 0x20) indent++;
    if (indent === line.length) continue; // blank
    if (blockScalar >= 0 && indent > blockScalar) continue;
    blockScalar = -1;
    if (line.charCodeAt(indent) === 0x23) continue; // a comment line
    if (line.startsWith('---')) {
      levels.length = 0;
      continue;
    }
    let depth = 0;
    for (let k = indent; k < line.length; k++) {
      const ch = line.charCodeAt(k);
      if (ch === 0x5b || ch === 0x7b) depth++; // [ {
      else if (ch === 0x5d || ch === 0x7d) depth--; // ] }
      else if (ch === 0x23 && line.charCodeAt(k - 1) === 0x20) break; // #
    }
    if (depth !== 0) return true;
    const quoted = QUOTED_START.exec(line);
    if (quoted && !quoted[2].includes(quoted[1])) return true;
    let popped = false;
    while (levels.length > 0 && levels[levels.length - 1] > indent) {
      levels.pop();
      popped = true;
    }
    const top = levels.length > 0 ? levels[levels.length - 1] : -1;
    if (top !== indent) {
      if (popped) return true;
      levels.push(indent);
    }
    // Compact nesting: `- - a` and `- a: b` open nodes further right.
    let column = indent;
    while (line.startsWith('- ', column)) {
      column += 2;
      while (line.charCodeAt(column) === 0x20) column++;
      levels.push(column);
    }
    if (BLOCK_SCALAR_HEADER.test(line)) blockScalar = column;
  }
  return false;
}

/** Whether js-yaml may read this text (else `yaml` does). */
export function readsFast(content: string): boolean {
  if (UNUSUAL_CHARACTERS.test(content)) return false;
  const structure = content.replace(QUOTED_TO_LINE_END, "$1''");
  return (
    !LEFT_TO_YAML.test(structure) &&
    ROOT_IN_COLUMN_1.test(structure) &&
    !LONG_LINE.test(content) &&
    !needsYamlLines(structure)
  );
}

/**
 * Reads a YAML stream exactly as {@link readYamlStreamWithYaml} does, about
 * ten times faster: plain block YAML (what generators and people write for
 * Kubernetes) is read by js-yaml with `yaml`'s core schema; anything else,
 * and anything js-yaml rejects, is read by `yaml` itself, so syntax errors
 * carry `yaml`'s messages. The equivalence is tested on the blueprint and on
 * generated and random documents (yamlStream.test.ts).
 */
export function readYamlStream(content: string): StreamDocument[] {
  if (!readsFast(content)) return readYamlStreamWithYaml(content);
  try {
    return loadAll(content, undefined, { schema: YAML_CORE }).map(value => ({
      value: value === undefined ? null : value,
    }));
  } catch {
    return readYamlStreamWithYaml(content);
  }
}

/**
 * A single-document YAML text, as `yaml`'s `parse` returns it (which
 * throws on a syntax error or several documents).
 */
export function parseYamlDocument(content: string): unknown {
  const docs = readYamlStream(content);
  if (docs.length === 0) return null;
  if (docs.length === 1 && 'value' in docs[0]) return docs[0].value;
  return parse(content);
}
