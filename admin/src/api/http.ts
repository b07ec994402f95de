import { clearSession, session, updateTokens } from '../session';
import type { Paged, Pagination } from './types';

/** An API failure, with the envelope's code and Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown[],
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

interface Envelope<T> {
  success: boolean;
  data: T;
  pagination?: Pagination;
  error?: { code: string; message: string; details?: unknown[] };
}

let refreshing: Promise<boolean> | null = null;

/** Rotates the refresh token once for every request that saw a 401 at the same time. */
function refresh(): Promise<boolean> {
  const current = session.current;
  if (!current) return Promise.resolve(false);
  refreshing ??= fetch('/api/auth/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken: current.refreshToken }),
  })
    .then(async (res) => {
      if (!res.ok) return false;
      const body = (await res.json()) as Envelope<{ token: string; refreshToken: string }>;
      updateTokens(body.data.token, body.data.refreshToken);
      return true;
    })
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** Called when the session is gone for good (the router sends the user to the login page). */
let onSignedOut: () => void = () => undefined;
export const setSignedOutHandler = (fn: () => void) => {
  onSignedOut = fn;
};

export function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The one place the console talks HTTP: bearer token, one refresh on 401, API errors as ApiError. */
export async function send(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<Response> {
  // A form (a file upload) goes as multipart, with the boundary the browser writes; anything else as JSON.
  const form = options.body instanceof FormData ? options.body : undefined;
  const attempt = () =>
    fetch(url(path, options.query), {
      method,
      headers: {
        ...(options.body === undefined || form ? {} : { 'Content-Type': 'application/json' }),
        ...(session.current ? { Authorization: `Bearer ${session.current.token}` } : {}),
      },
      body: form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  let res = await attempt();
  if (res.status === 401 && session.current && !path.startsWith('/api/admin/auth/')) {
    if (await refresh()) res = await attempt();
    else {
      clearSession();
      onSignedOut();
    }
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as Envelope<unknown> | null;
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'HTTP_ERROR',
      body?.error?.message ?? `请求失败（${res.status}）`,
      body?.error?.details,
    );
  }
  return res;
}

export async function call<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
  const res = await send(method, path, options);
  if (res.status === 204) return undefined as T;
  return ((await res.json()) as Envelope<T>).data;
}

export async function page<T>(path: string, query: Query = {}): Promise<Paged<T>> {
  const res = await send('GET', path, { query });
  const body = (await res.json()) as Envelope<T[]>;
  return { items: body.data, pagination: body.pagination ?? { page: 1, limit: body.data.length, total: body.data.length } };
}
