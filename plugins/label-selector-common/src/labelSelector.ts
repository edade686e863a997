import { InputError } from '@backstage/errors';

/**
 * One requirement of a label selector, in the shape of a Kubernetes
 * `LabelSelectorRequirement` (`matchExpressions` item): `k=v` and `k==v` parse
 * to `In [v]`, `k!=v` to `NotIn [v]`, `k` to `Exists`, `!k` to `DoesNotExist`.
 * @public
 */
export type LabelSelectorRequirement =
  | { key: string; operator: 'In' | 'NotIn'; values: string[] }
  | { key: string; operator: 'Exists' | 'DoesNotExist' };

/**
 * Labels of an object, as in `metadata.labels`.
 * @public
 */
export type Labels = Record<string, string>;

/**
 * A parsed label selector: true when the labels satisfy every requirement.
 * @public
 */
export type LabelMatcher = (labels: Labels | undefined) => boolean;

type Token =
  | { kind: 'identifier'; text: string }
  | { kind: 'in' | 'notin'; text: string }
  | {
      kind: '!' | '=' | '==' | '!=' | ',' | '(' | ')' | '<' | '>';
      text: string;
    };

const SYMBOLS = ['==', '!=', '!', '=', ',', '(', ')', '<', '>'] as const;
const SPECIAL = /[\s!=,()<>]/;

// Kubernetes qualified names: optional DNS-1123 subdomain prefix (253 chars at
// most) and a name of at most 63 characters; values are empty or name-like.
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const PREFIX =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function invalid(selector: string, reason: string): InputError {
  return new InputError(`Invalid label selector "${selector}": ${reason}`);
}

function lex(selector: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < selector.length) {
    if (/\s/.test(selector[i])) {
      i++;
      continue;
    }
    const at = i;
    const symbol = SYMBOLS.find(s => selector.startsWith(s, at));
    if (symbol) {
      tokens.push({ kind: symbol, text: symbol });
      i += symbol.length;
      continue;
    }
    let end = i;
    while (end < selector.length && !SPECIAL.test(selector[end])) end++;
    const text = selector.slice(i, end);
    tokens.push(
      text === 'in' || text === 'notin'
        ? { kind: text, text }
        : { kind: 'identifier', text },
    );
    i = end;
  }
  return tokens;
}

function checkKey(selector: string, key: string) {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const ok =
    NAME.test(name) &&
    name.length <= 63 &&
    (prefix === undefined || (PREFIX.test(prefix) && prefix.length <= 253));
  if (!ok) {
    throw invalid(
      selector,
      `invalid label key '${key}' (an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric)`,
    );
  }
}

function checkValue(selector: string, value: string) {
  if (value !== '' && (!NAME.test(value) || value.length > 63)) {
    throw invalid(
      selector,
      `invalid label value '${value}' (at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric)`,
    );
  }
}

/**
 * Parses a Kubernetes label selector string as the API server (and Argo CD's
 * `?selector=`) accepts it: requirements joined by commas, each one of
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` or `!k`.
 * An empty selector has no requirements and matches everything.
 * Throws an InputError naming the selector and what is wrong with it.
 * @public
 */
export function parseLabelSelector(
  selector: string,
): LabelSelectorRequirement[] {
  const tokens = lex(selector);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const found = (t: Token | undefined) =>
    t ? `'${t.text}'` : 'the end of the selector';

  const readValues = (key: string): string[] => {
    const open = tokens[pos++];
    if (open?.kind !== '(') {
      throw invalid(
        selector,
        `expected '(' after '${key} in', found ${found(open)}`,
      );
    }
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const t = tokens[pos++];
      if (!t) {
        throw invalid(selector, `missing ')' in the values of '${key}'`);
      }
      if (t.kind === ')') {
        if (expectValue) values.push('');
        return values;
      }
      if (t.kind === ',') {
        if (expectValue) values.push('');
        expectValue = true;
      } else if (t.kind !== '(' && t.kind !== '!' && expectValue) {
        // Keywords are plain values inside a list (`k in (in)` is valid).
        checkValue(selector, t.text);
        values.push(t.text);
        expectValue = false;
      } else {
        throw invalid(
          selector,
          `expected a value, ',' or ')' in the values of '${key}', found ${found(
            t,
          )}`,
        );
      }
    }
  };

  const readRequirement = (): LabelSelectorRequirement => {
    let t = tokens[pos++];
    const negated = t?.kind === '!';
    if (negated) t = tokens[pos++];
    if (t?.kind !== 'identifier') {
      throw invalid(
        selector,
        `expected a label key${negated ? " after '!'" : ''}, found ${found(t)}`,
      );
    }
    const key = t.text;
    checkKey(selector, key);
    const op = peek();
    if (negated || !op || op.kind === ',') {
      return { key, operator: negated ? 'DoesNotExist' : 'Exists' };
    }
    pos++;
    switch (op.kind) {
      case '=':
      case '==':
      case '!=': {
        const next = peek();
        let value = '';
        if (next?.kind === 'identifier') {
          value = next.text;
          pos++;
        } else if (next && next.kind !== ',') {
          throw invalid(
            selector,
            `expected a value after '${key}${op.text}', found ${found(next)}`,
          );
        }
        checkValue(selector, value);
        return {
          key,
          operator: op.kind === '!=' ? 'NotIn' : 'In',
          values: [value],
        };
      }
      case 'in':
      case 'notin':
        return {
          key,
          operator: op.kind === 'in' ? 'In' : 'NotIn',
          values: readValues(key),
        };
      case '<':
      case '>':
        throw invalid(
          selector,
          `the numeric operator '${op.text}' is not supported; use =, ==, !=, in, notin, '${key}' or '!${key}'`,
        );
      default:
        throw invalid(
          selector,
          `expected an operator (=, ==, !=, in, notin), ',' or the end after '${key}', found ${found(
            op,
          )}`,
        );
    }
  };

  const requirements: LabelSelectorRequirement[] = [];
  if (tokens.length === 0) return requirements;
  for (;;) {
    requirements.push(readRequirement());
    const t = tokens[pos++];
    if (!t) return requirements;
    if (t.kind !== ',') {
      throw invalid(selector, `expected ',' or the end, found ${found(t)}`);
    }
    if (!peek()) {
      throw invalid(selector, "expected a requirement after ','");
    }
  }
}

/**
 * Whether labels satisfy every requirement. As in Kubernetes, `NotIn` (and so
 * `k!=v`) also matches objects without the label.
 * @public
 */
export function matchesLabelSelector(
  requirements: readonly LabelSelectorRequirement[],
  labels: Labels | undefined,
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.operator) {
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'In':
        return has && r.values.includes(l[r.key]);
      case 'NotIn':
        return !has || !r.values.includes(l[r.key]);
      default:
        return false;
    }
  });
}

/**
 * Parses a label selector once and returns a matcher for many label sets.
 * Throws like {@link parseLabelSelector}.
 * @public
 */
export function createLabelMatcher(selector: string): LabelMatcher {
  const requirements = parseLabelSelector(selector);
  return labels => matchesLabelSelector(requirements, labels);
}
