import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Clock } from '../../shared/clock';
import { unauthorized } from '../../shared/errors';

export const ACCESS_TOKEN_TTL_SECONDS = 2 * 60 * 60;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const ISSUER = 'repair-api';
/** How far ahead of this clock another instance's may be when it signs a token. */
const CLOCK_SKEW_SECONDS = 60;

export interface AccessClaims {
  userId: number;
  sessionId: string;
}

/** Verified access tokens remembered per signer (a map cleared when full). */
const VERIFIED_KEPT = 20_000;

/** Access tokens are short-lived HS256 JWTs naming the user and the session (refresh-token family). */
export function createTokenSigner(secret: string, clock: Clock) {
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  // A KeyObject, made once: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM
  // public key on every call, which cost ~0.8 ms of CPU per authenticated request (see BENCHMARKS.md).
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  /**
   * Tokens this signer has verified, with their claims and expiry: the same bytes verify the same
   * way until they expire, so a token is checked once, not on each of its requests (its HMAC and
   * JSON were a tenth of a hall request). Whether its session still lives is the session check's.
   */
  const verified = new Map<string, { claims: AccessClaims; exp: number }>();
  return {
    sign(claims: AccessClaims): string {
      return jwt.sign({ sid: claims.sessionId, typ: 'access', iat: nowSeconds() }, key, {
        algorithm: 'HS256',
        subject: String(claims.userId),
        issuer: ISSUER,
        expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      });
    },
    verify(token: string): AccessClaims {
      const known = verified.get(token);
      // Expired, it goes through jsonwebtoken again, which says so.
      if (known && nowSeconds() < known.exp) return known.claims;
      try {
        const payload = jwt.verify(token, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          clockTimestamp: nowSeconds(),
        }) as jwt.JwtPayload;
        const userId = Number(payload.sub);
        if (payload.typ !== 'access' || !Number.isInteger(userId) || typeof payload.sid !== 'string')
          throw new Error('bad claims');
        // jsonwebtoken only checks `exp` when present: a token without one would never expire, and
        // one expiring later than any this signer issues was not made by it. Both are refused.
        if (typeof payload.exp !== 'number' || payload.exp > nowSeconds() + ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS)
          throw new Error('no or too distant expiry');
        const claims = { userId, sessionId: payload.sid };
        if (verified.size >= VERIFIED_KEPT) verified.clear();
        verified.set(token, { claims, exp: payload.exp });
        return claims;
      } catch (err) {
        if (err instanceof jwt.TokenExpiredError) throw unauthorized('登录已过期，请重新登录');
        throw unauthorized('登录凭证无效，请重新登录');
      }
    },
  };
}
export type TokenSigner = ReturnType<typeof createTokenSigner>;

/** Opaque refresh tokens: 256 random bits; only their SHA-256 is stored. */
export const newRefreshToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
