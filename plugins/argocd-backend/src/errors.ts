import {
  ConflictError,
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * A request body in a media type the route does not take (HTTP 415; the
 * Backstage error handler reads `statusCode`).
 * @public
 */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  readonly statusCode = 415;
}

/**
 * Argo CD answered, but with something the portal cannot pass on as the
 * caller's problem (an internal error, an unusable answer): HTTP 502.
 * @public
 */
export class BadGatewayError extends CustomErrorBase {
  name = 'BadGatewayError' as const;
  readonly statusCode = 502;
}

/** gRPC status codes Argo CD's grpc-gateway puts in `code`. */
const GRPC = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** The gRPC code an HTTP status stands for, when Argo CD's body has none. */
function codeOfHttpStatus(status: number): number | undefined {
  switch (status) {
    case 400:
      return GRPC.INVALID_ARGUMENT;
    case 401:
      return GRPC.UNAUTHENTICATED;
    case 403:
      return GRPC.PERMISSION_DENIED;
    case 404:
      return GRPC.NOT_FOUND;
    case 409:
      return GRPC.ABORTED;
    case 412:
      return GRPC.FAILED_PRECONDITION;
    case 429:
      return GRPC.RESOURCE_EXHAUSTED;
    case 501:
      return GRPC.UNIMPLEMENTED;
    case 503:
      return GRPC.UNAVAILABLE;
    case 504:
      return GRPC.DEADLINE_EXCEEDED;
    default:
      return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Text of one grpc-gateway `details` entry (`google.rpc.*` messages), if it says anything. */
function detailText(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail.trim() || undefined;
  if (!isObject(detail)) return undefined;
  const parts: string[] = [];
  for (const key of ['reason', 'description', 'detail', 'message']) {
    const v = detail[key];
    if (typeof v === 'string' && v.trim()) parts.push(v.trim());
  }
  for (const list of ['fieldViolations', 'violations']) {
    const v = detail[list];
    if (Array.isArray(v)) {
      for (const item of v) {
        if (!isObject(item)) continue;
        const field = item.field ?? item.subject ?? item.type;
        const text = item.description;
        if (typeof text === 'string' && text) {
          parts.push(
            typeof field === 'string' && field ? `${field}: ${text}` : text,
          );
        }
      }
    }
  }
  return parts.length ? parts.join(': ') : undefined;
}

/**
 * Reads Argo CD's error body: grpc-gateway's `{ code, message, error, details }`,
 * flat or nested under `error` (`{ error: { code, message } }`), or plain text.
 * Never returns `[object Object]`: anything unreadable is left out.
 * @public
 */
export function readArgoCdError(body: unknown): {
  code?: number;
  message?: string;
} {
  if (typeof body === 'string') return { message: body.trim() || undefined };
  if (!isObject(body)) return {};
  const nested = isObject(body.error) ? body.error : undefined;
  const source = nested ?? body;
  const numberIn = (...objects: Record<string, unknown>[]) =>
    objects.map(o => o.code).find((c): c is number => typeof c === 'number');
  const listIn = (...objects: Record<string, unknown>[]) =>
    objects.map(o => o.details).find(Array.isArray) ?? [];
  const code = numberIn(source, body);
  const texts = [
    source.message,
    source.error,
    nested ? body.message : undefined,
  ]
    .filter((t): t is string => typeof t === 'string' && t.trim() !== '')
    .map(t => t.trim());
  const details = listIn(source, body)
    .map(detailText)
    .filter((t): t is string => Boolean(t));
  const main = texts[0];
  const extra = details.filter(d => !main || !main.includes(d));
  const message = [main, ...extra].filter(Boolean).join('; ') || undefined;
  return { code, message };
}

/**
 * Turns an Argo CD error answer into the error the portal throws: the gRPC
 * code (or, without one, the HTTP status) picks the status the caller sees —
 * 3 → 400, 5 → 404, 6/9/10 → 409, 7 → 403, 12 → 501, 4/8/14 → 503, 16 → 502
 * (the portal's own credentials were refused: not the caller's fault), other → 502.
 * The message names the instance and what Argo CD said.
 * @public
 */
export function argoCdError(options: {
  instance: string;
  status: number;
  statusText?: string;
  body: unknown;
  what: string;
}): Error {
  const { instance, status, what } = options;
  const parsed = readArgoCdError(options.body);
  const said = parsed.message ?? options.statusText ?? `HTTP ${status}`;
  const message = `Argo CD instance "${instance}": ${said}`;
  const code = parsed.code ?? codeOfHttpStatus(status);
  switch (code) {
    case GRPC.INVALID_ARGUMENT:
    case GRPC.OUT_OF_RANGE:
      return new InputError(message);
    case GRPC.NOT_FOUND:
      return new NotFoundError(message);
    case GRPC.ALREADY_EXISTS:
    case GRPC.FAILED_PRECONDITION:
    case GRPC.ABORTED:
      return new ConflictError(message);
    case GRPC.PERMISSION_DENIED:
      return new NotAllowedError(
        `Argo CD instance "${instance}" denied the portal's account ${what}: ${said}; ask the platform team to grant it in Argo CD's RBAC`,
      );
    case GRPC.UNAUTHENTICATED:
      return new BadGatewayError(
        `Argo CD instance "${instance}" refused the portal's credentials for ${what} (HTTP ${status}): ${said}; check argocd.instances[].token or username/password`,
      );
    case GRPC.UNIMPLEMENTED:
      return new NotImplementedError(message);
    case GRPC.DEADLINE_EXCEEDED:
    case GRPC.RESOURCE_EXHAUSTED:
    case GRPC.UNAVAILABLE:
    case GRPC.CANCELLED:
      return new ServiceUnavailableError(
        `Argo CD instance "${instance}" is unavailable: ${said} (HTTP ${status})`,
      );
    default:
      return new BadGatewayError(`${message} (HTTP ${status}, ${what})`);
  }
}
