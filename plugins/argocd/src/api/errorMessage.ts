import { ResponseError } from '@backstage/errors';

/**
 * The sentence to show for a failed call: the backend's own message (a
 * ResponseError's body), not "Request failed with 400 Bad Request".
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.cause?.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
