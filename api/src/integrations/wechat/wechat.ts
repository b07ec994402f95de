import type { Db } from '../../db';
import { AppError } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import { createDbTokenStore, TokenUnavailableError } from './token-store';

export interface WechatSession {
  openid: string;
  unionid?: string;
}

/** The parts of the WeChat server API the platform uses. */
export interface WechatClient {
  readonly mode: 'dev' | 'live';
  /** wx.login code → openid (jscode2session). */
  code2session(code: string): Promise<WechatSession>;
  /** getPhoneNumber button code → the bound phone number (mainland numbers, no country code). */
  getPhoneNumber(code: string): Promise<string>;
  /**
   * One subscribe message (cgi-bin/message/subscribe/send). WeChat's verdict is returned as is
   * (43101: the user has no grant left); a transport or HTTP failure throws.
   */
  sendSubscribeMessage(message: SubscribeMessage): Promise<{ errcode: number; errmsg: string }>;
}

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, string>;
}

const loginFailed = (message = '微信登录失败，请重试') => new AppError('WECHAT_LOGIN_FAILED', 401, message);
const unavailable = () => new AppError('WECHAT_UNAVAILABLE', 502, '微信服务暂时不可用，请稍后再试');
const phoneCodeInvalid = () => new AppError('PHONE_CODE_INVALID', 400, '手机号授权已失效，请重新授权');

/**
 * Dev WeChat mode: no network. A login code `dev-<name>` is the openid itself, so tests and the
 * demo can be any number of users; a phone code `dev-phone-<11 digits>` is that number.
 */
export function createDevWechat(logger: Logger): WechatClient {
  return {
    mode: 'dev',
    async code2session(code) {
      if (!/^dev-[A-Za-z0-9_-]{1,60}$/.test(code)) throw loginFailed('开发模式下登录码须为 dev-<名字>');
      return { openid: code };
    },
    async getPhoneNumber(code) {
      const m = /^dev-phone-(1[3-9]\d{9})$/.exec(code);
      if (!m?.[1]) throw phoneCodeInvalid();
      return m[1];
    },
    async sendSubscribeMessage(message) {
      logger.info({ subscribeMessage: message }, 'dev WeChat: subscribe message not sent');
      return { errcode: 0, errmsg: 'ok' };
    },
  };
}

interface WechatReply {
  errcode?: number;
  errmsg?: string;
}

/** errcodes meaning "this access token is no longer valid": refresh once and retry. */
const TOKEN_INVALID = new Set([40001, 40014, 42001]);

export interface LiveWechatOptions {
  appid: string;
  secret: string;
  apiBase: string;
  logger: Logger;
  clock: Clock;
  /** Where the access token shared by every process of the app is kept. */
  db: Db;
  timeoutMs?: number;
}

/** The real WeChat server API over HTTPS (base URL overridable so tests run a fake on 127.0.0.1). */
export function createLiveWechat(opts: LiveWechatOptions): WechatClient & { accessToken(rejected?: string): Promise<string> } {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const tokens = createDbTokenStore(opts.db, opts.appid, opts.clock);
  let inflight: Promise<string> | undefined;

  async function call<T extends WechatReply>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, opts.apiBase), {
        method: init?.method ?? 'GET',
        headers: init?.body ? { 'content-type': 'application/json' } : undefined,
        body: init?.body ? JSON.stringify(init.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      opts.logger.error({ err, path: path.split('?')[0] }, 'wechat request failed');
      throw unavailable();
    }
    if (!res.ok) {
      opts.logger.error({ status: res.status, path: path.split('?')[0] }, 'wechat answered with an HTTP error');
      throw unavailable();
    }
    return (await res.json()) as T;
  }

  /**
   * The stable access token (cgi-bin/stable_token), shared by every process of the app through the
   * database: asking for it in normal mode returns the current token instead of invalidating the
   * others' copies, which the older cgi-bin/token would do. Concurrent callers of one process share
   * one lookup; `rejected` is a token WeChat has just refused.
   */
  async function accessToken(rejected?: string): Promise<string> {
    if (rejected === undefined && inflight) return inflight;
    const request = tokens
      .get(async (force) => {
        const reply = await call<WechatReply & { access_token?: string; expires_in?: number }>('/cgi-bin/stable_token', {
          method: 'POST',
          body: { grant_type: 'client_credential', appid: opts.appid, secret: opts.secret, force_refresh: force },
        });
        if (!reply.access_token) {
          opts.logger.error({ errcode: reply.errcode, errmsg: reply.errmsg }, 'wechat access token refused');
          throw unavailable();
        }
        return { token: reply.access_token, expiresInSeconds: reply.expires_in ?? 7200 };
      }, rejected)
      .catch((err: unknown) => {
        if (err instanceof TokenUnavailableError) {
          opts.logger.error({ err }, 'wechat access token unavailable');
          throw unavailable();
        }
        throw err;
      });
    if (rejected !== undefined) return request;
    inflight = request;
    try {
      return await request;
    } finally {
      if (inflight === request) inflight = undefined;
    }
  }

  async function withToken<T extends WechatReply>(path: string, body: unknown): Promise<T> {
    const send = async (token: string) => call<T>(`${path}?access_token=${encodeURIComponent(token)}`, { method: 'POST', body });
    const token = await accessToken();
    const reply = await send(token);
    if (reply.errcode && TOKEN_INVALID.has(reply.errcode)) return send(await accessToken(token));
    return reply;
  }

  return {
    mode: 'live',
    accessToken,
    async code2session(code) {
      const query = new URLSearchParams({
        appid: opts.appid,
        secret: opts.secret,
        js_code: code,
        grant_type: 'authorization_code',
      });
      const reply = await call<WechatReply & { openid?: string; unionid?: string }>(`/sns/jscode2session?${query}`);
      if (reply.openid) return { openid: reply.openid, unionid: reply.unionid };
      // 40029 invalid code, 40163 code already used, 40226 risky user: the client must log in again.
      opts.logger.warn({ errcode: reply.errcode, errmsg: reply.errmsg }, 'wechat code2session refused');
      if (reply.errcode === 45011) throw new AppError('RATE_LIMITED', 429, '登录过于频繁，请稍后再试');
      if (reply.errcode === -1) throw unavailable();
      throw loginFailed();
    },
    async getPhoneNumber(code) {
      const reply = await withToken<WechatReply & { phone_info?: { purePhoneNumber?: string; countryCode?: string } }>(
        '/wxa/business/getuserphonenumber',
        { code },
      );
      const phone = reply.phone_info?.purePhoneNumber;
      if (reply.errcode === 0 && phone) {
        if (reply.phone_info?.countryCode && reply.phone_info.countryCode !== '86') {
          throw new AppError('PHONE_NOT_SUPPORTED', 400, '暂仅支持中国大陆手机号');
        }
        return phone;
      }
      opts.logger.warn({ errcode: reply.errcode, errmsg: reply.errmsg }, 'wechat getuserphonenumber refused');
      if (reply.errcode === 40029) throw phoneCodeInvalid();
      throw unavailable();
    },
    async sendSubscribeMessage(m) {
      const reply = await withToken<WechatReply>('/cgi-bin/message/subscribe/send', {
        touser: m.touser,
        template_id: m.templateId,
        ...(m.page ? { page: m.page } : {}),
        data: Object.fromEntries(Object.entries(m.data).map(([k, value]) => [k, { value }])),
        lang: 'zh_CN',
      });
      return { errcode: reply.errcode ?? 0, errmsg: reply.errmsg ?? 'ok' };
    },
  };
}
