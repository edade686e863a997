import { InputError } from '@backstage/errors';
import express from 'express';
import { z } from 'zod';
import { UnsupportedMediaTypeError } from '../errors';

const jsonParser = express.json({ limit: '10kb', strict: true });

/** True when the request carries a body (a length above 0, or chunked). */
function hasBody(req: express.Request): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return req.headers['transfer-encoding'] !== undefined || length > 0;
}

/**
 * Parses a value with a strict zod schema; unknown fields and wrong types
 * become one InputError naming every offending field.
 */
export function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map(issue => {
    const path = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const where = path ? ` in ${path}` : '';
      return `unknown field${
        issue.keys.length > 1 ? 's' : ''
      }${where} ${issue.keys.map(k => `"${k}"`).join(', ')}`;
    }
    return `${path || '(body)'}: ${issue.message}`;
  });
  throw new InputError(`Invalid ${what}: ${issues.join('; ')}`);
}

/**
 * Reads the JSON body of an action route. Only `application/json` is taken
 * (415 otherwise, also for a body without a content type), so a form or
 * plain-text post can never turn into defaults; no body means `{}`.
 */
export async function readJsonBody<T>(
  req: express.Request,
  res: express.Response,
  schema: z.ZodType<T>,
  what: string,
): Promise<T> {
  const type = req.headers['content-type'];
  const body = hasBody(req);
  // (req.is() answers null without a body, so the media type is read here)
  const mediaType = type?.split(';')[0].trim().toLowerCase();
  if (type ? mediaType !== 'application/json' : body) {
    throw new UnsupportedMediaTypeError(
      `The ${what} must be sent as application/json, not ${
        type ? `"${type}"` : 'a body without a content type'
      }; nothing was done`,
    );
  }
  if (!body) return parseWith(schema, {}, what);
  await new Promise<void>((resolve, reject) =>
    jsonParser(req, res, (err?: unknown) => {
      if (!err) {
        resolve();
        return;
      }
      const e = err as { type?: string; message?: string };
      reject(
        new InputError(
          e.type === 'entity.too.large'
            ? `The ${what} is larger than 10 kB`
            : `The ${what} is not valid JSON: ${e.message ?? String(err)}`,
        ),
      );
    }),
  );
  return parseWith(schema, req.body, what);
}
