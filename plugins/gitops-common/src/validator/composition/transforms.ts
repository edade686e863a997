import { goSprintf, goType, goValue } from './goFormat';

type Obj = Record<string, unknown>;

/** A transform failed; function-patch-and-transform then fails the whole XR. */
export class TransformError extends Error {}

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Applies one transform of function-patch-and-transform v0.9.0 (types `map`,
 * `match`, `math`, `string`, `convert`) with its error semantics: a map only
 * takes strings, math only numbers, a missing map key is an error.
 */
export function applyTransform(t: Obj, input: unknown): unknown {
  switch (t.type) {
    case 'map':
      return mapTransform(isObj(t.map) ? t.map : {}, input);
    case 'match':
      return matchTransform(isObj(t.match) ? t.match : {}, input);
    case 'math':
      return mathTransform(isObj(t.math) ? t.math : {}, input);
    case 'string':
      return stringTransform(isObj(t.string) ? t.string : {}, input);
    case 'convert':
      return convertTransform(isObj(t.convert) ? t.convert : {}, input);
    default:
      throw new TransformError(
        `transform type ${JSON.stringify(t.type)} is not supported`,
      );
  }
}

function mapTransform(map: Obj, input: unknown): unknown {
  if (typeof input !== 'string') {
    throw new TransformError(
      `type ${goType(input)} is not supported for map transform`,
    );
  }
  if (!Object.prototype.hasOwnProperty.call(map, input)) {
    throw new TransformError(`key ${input} is not found in map`);
  }
  return map[input];
}

function matchTransform(match: Obj, input: unknown): unknown {
  const patterns = Array.isArray(match.patterns)
    ? (match.patterns as Obj[])
    : [];
  for (const p of patterns) {
    const type = p.type ?? 'literal';
    if (type === 'literal') {
      if (typeof input === 'string' && input === p.literal) return p.result;
    } else if (type === 'regexp') {
      let re: RegExp;
      try {
        re = new RegExp(String(p.regexp));
      } catch (e) {
        throw new TransformError(
          `cannot compile regexp ${JSON.stringify(p.regexp)}: ${
            (e as Error).message
          }`,
        );
      }
      if (typeof input === 'string' && re.test(input)) return p.result;
    } else {
      throw new TransformError(
        `unsupported pattern type ${JSON.stringify(type)}`,
      );
    }
  }
  return (match.fallbackTo ?? 'Value') === 'Input'
    ? input
    : match.fallbackValue;
}

function mathTransform(math: Obj, input: unknown): unknown {
  if (typeof input !== 'number') {
    throw new TransformError(
      'input is required to be a number for math transformer',
    );
  }
  switch (math.type ?? 'Multiply') {
    case 'Multiply':
      if (typeof math.multiply !== 'number')
        throw new TransformError('multiply must be set');
      return input * math.multiply;
    case 'ClampMin':
      if (typeof math.clampMin !== 'number')
        throw new TransformError('clampMin must be set');
      return Math.max(input, math.clampMin);
    case 'ClampMax':
      if (typeof math.clampMax !== 'number')
        throw new TransformError('clampMax must be set');
      return Math.min(input, math.clampMax);
    default:
      throw new TransformError(
        `math transform type ${JSON.stringify(math.type)} is not supported`,
      );
  }
}

function stringTransform(s: Obj, input: unknown): unknown {
  const text = () => goValue(input);
  switch (s.type ?? 'Format') {
    case 'Format':
      if (typeof s.fmt !== 'string')
        throw new TransformError('string transform Format needs fmt');
      return goSprintf(s.fmt, [input]);
    case 'Convert':
      return convertString(String(s.convert), text());
    case 'TrimPrefix':
      return text().startsWith(String(s.trim))
        ? text().slice(String(s.trim).length)
        : text();
    case 'TrimSuffix':
      return text().endsWith(String(s.trim))
        ? text().slice(0, -String(s.trim).length)
        : text();
    case 'Regexp': {
      const r = isObj(s.regexp) ? s.regexp : {};
      const group = typeof r.group === 'number' ? r.group : 0;
      const m = new RegExp(String(r.match)).exec(text());
      if (!m || m[group] === undefined) {
        throw new TransformError(
          `regexp ${JSON.stringify(r.match)} had no matches for group ${group}`,
        );
      }
      return m[group];
    }
    case 'Join': {
      if (!Array.isArray(input))
        throw new TransformError('input is not an array');
      const j = isObj(s.join) ? s.join : {};
      return input.map(goValue).join(String(j.separator ?? ''));
    }
    case 'Replace': {
      const r = isObj(s.replace) ? s.replace : {};
      return text().split(String(r.search)).join(String(r.replace));
    }
    default:
      throw new TransformError(
        `string transform type ${JSON.stringify(s.type)} is not supported`,
      );
  }
}

function convertString(convert: string, text: string): string {
  switch (convert) {
    case 'ToUpper':
      return text.toUpperCase();
    case 'ToLower':
      return text.toLowerCase();
    case 'ToBase64':
      return Buffer.from(text, 'utf8').toString('base64');
    case 'FromBase64':
      return Buffer.from(text, 'base64').toString('utf8');
    case 'ToJson':
      return JSON.stringify(text);
    default:
      // ToSha1/256/512 produce opaque hashes; the value's shape is what matters here.
      if (/^ToSha(1|256|512)$/.test(convert))
        return `${convert.toLowerCase()}:${text}`;
      throw new TransformError(
        `string conversion type ${convert} is not supported`,
      );
  }
}

function convertTransform(c: Obj, input: unknown): unknown {
  const to = String(c.toType);
  const format = c.format ?? 'none';
  const from = goType(input);
  const fail = () => {
    throw new TransformError(
      `conversion from ${from} to ${to} is not supported`,
    );
  };
  if (format === 'quantity') {
    if (typeof input !== 'string' || !['float64', 'int64', 'int'].includes(to))
      fail();
    const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(input));
    if (!m)
      throw new TransformError(
        `cannot parse quantity ${JSON.stringify(input)}`,
      );
    const unit: Record<string, number> = {
      m: 1e-3,
      k: 1e3,
      M: 1e6,
      G: 1e9,
      T: 1e12,
      Ki: 1024,
      Mi: 1024 ** 2,
      Gi: 1024 ** 3,
      Ti: 1024 ** 4,
    };
    const n = Number(m[1]) * (m[2] ? unit[m[2]] : 1);
    return to === 'float64' ? n : Math.ceil(n);
  }
  if (format === 'json') {
    if (typeof input !== 'string' || !['object', 'array'].includes(to)) fail();
    let v: unknown;
    try {
      v = JSON.parse(String(input));
    } catch (e) {
      throw new TransformError(`cannot parse JSON: ${(e as Error).message}`);
    }
    if (to === 'array' ? !Array.isArray(v) : !isObj(v)) fail();
    return v;
  }
  switch (to) {
    case 'string':
      if (
        from === 'string' ||
        from === 'bool' ||
        from === 'int64' ||
        from === 'float64'
      )
        return goValue(input);
      return fail();
    case 'int':
    case 'int64':
      if (from === 'int64') return input;
      if (from === 'float64') return Math.trunc(input as number);
      if (from === 'bool') return input ? 1 : 0;
      if (from === 'string') {
        if (!/^[+-]?\d+$/.test(String(input)))
          throw new TransformError(
            `strconv.ParseInt: parsing ${JSON.stringify(
              input,
            )}: invalid syntax`,
          );
        return Number(input);
      }
      return fail();
    case 'float64':
      if (from === 'int64' || from === 'float64') return input;
      if (from === 'bool') return input ? 1 : 0;
      if (from === 'string') {
        const n = Number(input);
        if (String(input).trim() === '' || Number.isNaN(n))
          throw new TransformError(
            `strconv.ParseFloat: parsing ${JSON.stringify(
              input,
            )}: invalid syntax`,
          );
        return n;
      }
      return fail();
    case 'bool':
      if (from === 'bool') return input;
      if (from === 'int64' || from === 'float64') return input !== 0;
      if (from === 'string') {
        const s = String(input);
        if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
        if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s))
          return false;
        throw new TransformError(
          `strconv.ParseBool: parsing ${JSON.stringify(s)}: invalid syntax`,
        );
      }
      return fail();
    default:
      return fail();
  }
}
