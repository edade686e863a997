import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/** Claims of the session JWTs the fake issues, like Argo CD's (`iss: argocd`). */
export interface FakeJwtClaims {
  iss: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

/** Signs HS256 JWTs with a per-server random secret. */
export class JwtSigner {
  private readonly secret = randomBytes(32);

  sign(sub: string, ttlSeconds: number, nowSeconds: number): string {
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const claims: FakeJwtClaims = {
      iss: 'argocd',
      sub,
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + ttlSeconds,
      jti: randomBytes(8).toString('hex'),
    };
    const payload = b64url(JSON.stringify(claims));
    const sig = createHmac('sha256', this.secret)
      .update(`${header}.${payload}`)
      .digest('base64url');
    return `${header}.${payload}.${sig}`;
  }

  /** Returns the claims of a valid token, or undefined when forged or malformed. */
  verify(token: string): FakeJwtClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = createHmac('sha256', this.secret)
      .update(`${parts[0]}.${parts[1]}`)
      .digest();
    const given = Buffer.from(parts[2], 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return undefined;
    }
    try {
      return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
  }
}
