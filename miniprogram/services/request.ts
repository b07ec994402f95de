import { session } from '../stores/session';

export const LOGIN_PAGE = '/pages/login/login';

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: string, message: string, status = 0, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  /** Path under the API base, e.g. '/api/orders'. */
  url: string;
  method?: Method;
  data?: Record<string, unknown> | unknown[];
  header?: Record<string, string>;
  /** Send the session token (default true). */
  auth?: boolean;
  /** Do not show the error toast; the caller handles the error itself. */
  silent?: boolean;
}

export interface Pagination {
  page: number;
  limit: number;
  total: number;
}

export interface PageResult<T> {
  data: T[];
  pagination: Pagination;
}

interface Envelope {
  success: boolean;
  data?: unknown;
  pagination?: Pagination;
  nextCursor?: number | null;
  error?: { code: string; message: string; details?: unknown };
}

export interface RawResponse {
  status: number;
  body: unknown;
}

/** Sends one attempt with the given token (null: none); request() uses wx.request, services/files.ts wx.uploadFile. */
export type Transport = (token: string | null) => Promise<RawResponse>;

const NETWORK_MESSAGE = '网络异常，请稍后重试';
const EXPIRED_MESSAGE = '登录已过期，请重新登录';

/** '?a=1&b=x' from the defined, non-empty params ('' when none). */
export function query(params: object): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export function apiBase(): string {
  return getApp<IAppOption>().globalData.apiBase.replace(/\/+$/, '');
}

/** The Socket.IO base: the environment's socketUrl, else the API base over ws(s). */
export function socketBase(): string {
  const { socketUrl } = getApp<IAppOption>().globalData;
  return (socketUrl || apiBase().replace(/^http/, 'ws')).replace(/\/+$/, '');
}

function send(opts: RequestOptions, token: string | null): Promise<RawResponse> {
  const header: Record<string, string> = { 'Content-Type': 'application/json', ...opts.header };
  if (token) header.Authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    wx.request({
      url: apiBase() + opts.url,
      method: opts.method ?? 'GET',
      data: opts.data as WechatMiniprogram.IAnyObject | undefined,
      header,
      dataType: 'json',
      success: (res) => resolve({ status: res.statusCode, body: res.data }),
      fail: () => reject(new ApiError('NETWORK', NETWORK_MESSAGE)),
    });
  });
}

function isEnvelope(body: unknown): body is Envelope {
  return typeof body === 'object' && body !== null && typeof (body as Envelope).success === 'boolean';
}

function toError(res: RawResponse): ApiError {
  if (isEnvelope(res.body) && res.body.error) {
    const { code, message, details } = res.body.error;
    return new ApiError(code, message, res.status, details);
  }
  return new ApiError('INTERNAL', '服务异常，请稍后重试', res.status);
}

let refreshing: Promise<string> | null = null;

/** The code of a request whose session was signed out locally while it was in flight. */
export const SIGNED_OUT = 'SIGNED_OUT';

function endSession(): void {
  session.clear();
  wx.reLaunch({ url: LOGIN_PAGE });
}

/**
 * Rotates the refresh token. Concurrent callers share one call: reusing a rotated token revokes the session.
 * A refused refresh token ends the session (once, for all callers); a network or server failure keeps it.
 */
export function refreshSession(): Promise<string> {
  if (!refreshing) {
    refreshing = (async () => {
      const refreshToken = session.getRefreshToken();
      if (!refreshToken) {
        endSession();
        throw new ApiError('UNAUTHORIZED', EXPIRED_MESSAGE, 401);
      }
      const res = await send({ url: '/api/auth/refresh', method: 'POST', data: { refreshToken } }, null);
      if (res.status === 400 || res.status === 401 || res.status === 403) {
        endSession();
        throw new ApiError('UNAUTHORIZED', EXPIRED_MESSAGE, 401);
      }
      if (res.status >= 400 || !isEnvelope(res.body) || !res.body.success) throw toError(res);
      const pair = res.body.data as { token: string; refreshToken: string };
      session.setTokens(pair.token, pair.refreshToken);
      return pair.token;
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function perform(opts: RequestOptions, transport: Transport): Promise<Envelope> {
  const useAuth = opts.auth !== false;
  const token = useAuth ? session.getToken() : null;
  let res = await transport(token);
  if (res.status === 401 && useAuth) {
    let fresh: string;
    const current = session.getToken();
    // Signed out while this request was in flight (退出登录): its answer no longer matters, and
    // neither a refresh nor the login page is wanted.
    if (token && !current) throw new ApiError(SIGNED_OUT, '已退出登录', 401);
    if (token && current && current !== token) {
      // Another request already refreshed the session while this one was in flight.
      fresh = current;
    } else {
      fresh = await refreshSession();
    }
    res = await transport(fresh);
    if (res.status === 401) {
      endSession();
      throw new ApiError('UNAUTHORIZED', EXPIRED_MESSAGE, 401);
    }
  }
  if (res.status >= 400 || !isEnvelope(res.body) || !res.body.success) throw toError(res);
  return res.body;
}

async function run<T>(
  opts: RequestOptions,
  pick: (body: Envelope) => T,
  transport: Transport = (token) => send(opts, token),
): Promise<T> {
  try {
    return pick(await perform(opts, transport));
  } catch (err) {
    const error = err instanceof ApiError ? err : new ApiError('NETWORK', NETWORK_MESSAGE);
    if (!opts.silent && error.code !== SIGNED_OUT) wx.showToast({ title: error.message, icon: 'none' });
    throw error;
  }
}

/** The one wrapper around wx.request: resolves with the envelope's `data`, rejects with an ApiError. */
export function request<T>(opts: RequestOptions): Promise<T> {
  return run(opts, (body) => body.data as T);
}

/**
 * Another transport (wx.uploadFile) with the same session handling: token, one refresh on 401,
 * the envelope, the error toast. `url` only names the call.
 */
export function requestVia<T>(opts: RequestOptions, transport: Transport): Promise<T> {
  return run(opts, (body) => body.data as T, transport);
}

/** For list endpoints: resolves with `{data, pagination}`. */
export function requestPage<T>(opts: RequestOptions): Promise<PageResult<T>> {
  return run(opts, (body) => {
    const data = (body.data ?? []) as T[];
    return { data, pagination: body.pagination ?? { page: 1, limit: data.length, total: data.length } };
  });
}

/** For cursor lists (chat history): resolves with `{data, nextCursor}`; null when there is nothing older. */
export function requestCursor<T>(opts: RequestOptions): Promise<{ data: T[]; nextCursor: number | null }> {
  return run(opts, (body) => ({ data: (body.data ?? []) as T[], nextCursor: body.nextCursor ?? null }));
}
