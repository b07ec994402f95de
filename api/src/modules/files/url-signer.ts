import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../shared/clock';

/** How long a file URL handed to a client stays valid, at least. */
export const SIGNED_URL_TTL_SECONDS = 3600;
/**
 * Expiries are rounded up to this grid, so the URL of one file stays the same for ten minutes and the
 * mini-program's image cache hits when a list is reloaded; a URL then lives between 60 and 70 minutes.
 */
const EXPIRY_GRID_SECONDS = 600;

export type SignatureCheck = { ok: true; exp: number } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

/**
 * HMAC-signed, expiring URLs for files served by the API itself: the mini-program's <image> cannot
 * send an Authorization header, so the URL is the credential.
 */
export function createUrlSigner(secret: string, clock: Clock) {
  // A key of its own, derived from the JWT secret: a file signature can never pass as anything else.
  const key = createHmac('sha256', secret).update('files').digest();
  const mac = (id: number, exp: number) => createHmac('sha256', key).update(`${id}.${exp}`).digest();
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  const expiry = () => Math.ceil((nowSeconds() + SIGNED_URL_TTL_SECONDS) / EXPIRY_GRID_SECONDS) * EXPIRY_GRID_SECONDS;

  return {
    expiry,

    /** `/api/files/<id>?exp=&sig=`, relative: clients prefix their API base. */
    url(id: number): string {
      const exp = expiry();
      return `/api/files/${id}?exp=${exp}&sig=${mac(id, exp).toString('base64url')}`;
    },

    verify(id: number, exp: string | undefined, sig: string | undefined): SignatureCheck {
      if (!exp || !sig) return { ok: false, reason: 'missing' };
      if (!/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return { ok: false, reason: 'invalid' };
      // Compared as text: the last base64url character carries two padding bits, so comparing decoded
      // bytes would accept four spellings of one signature.
      const expected = Buffer.from(mac(id, Number(exp)).toString('base64url'));
      const given = Buffer.from(sig);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
      if (Number(exp) <= nowSeconds()) return { ok: false, reason: 'expired' };
      return { ok: true, exp: Number(exp) };
    },

    /** Seconds until `exp`, for Cache-Control. */
    secondsUntil(exp: number): number {
      return Math.max(0, exp - nowSeconds());
    },
  };
}

export type UrlSigner = ReturnType<typeof createUrlSigner>;
