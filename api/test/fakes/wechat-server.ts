/**
 * A fake of the WeChat server API on 127.0.0.1, speaking its wire format (jscode2session,
 * stable_token, getuserphonenumber, subscribe/send), so the live client code path runs for real in tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWechat {
  url: string;
  appid: string;
  secret: string;
  /** login code → openid (each code works once, like WeChat's) */
  codes: Map<string, { openid: string; unionid?: string }>;
  /** phone code → phone number */
  phoneCodes: Map<string, string>;
  /** every request the fake received: path (without query) and parsed query/body */
  calls: { path: string; query: Record<string, string>; body: Record<string, unknown> }[];
  tokensIssued: number;
  /** subscribe messages accepted (errcode 0), as received */
  subscribeSent: Record<string, unknown>[];
  /**
   * How the next subscribe/send calls are answered, one entry per call (then errcode 0): an HTTP
   * status other than 200, a WeChat errcode, and/or a delay before answering.
   */
  subscribeReplies: { status?: number; errcode?: number; delayMs?: number }[];
  /** invalidate the current access token, as WeChat does when it expires early */
  expireToken(): void;
  close(): Promise<void>;
}

export async function startFakeWechat(appid = 'wx-test-appid', secret = 'wx-test-secret'): Promise<FakeWechat> {
  let currentToken: string | undefined;
  const usedCodes = new Set<string>();
  const fake: Omit<FakeWechat, 'url' | 'close'> = {
    appid,
    secret,
    codes: new Map(),
    phoneCodes: new Map(),
    calls: [],
    tokensIssued: 0,
    subscribeSent: [],
    subscribeReplies: [],
    expireToken: () => {
      currentToken = undefined;
    },
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const query = Object.fromEntries(url.searchParams);
    fake.calls.push({ path: url.pathname, query, body });
    const reply = (payload: object) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };

    switch (url.pathname) {
      case '/sns/jscode2session': {
        if (query.appid !== appid || query.secret !== secret) return reply({ errcode: 40125, errmsg: 'invalid appsecret' });
        const code = query.js_code ?? '';
        const session = fake.codes.get(code);
        if (!session || usedCodes.has(code)) return reply({ errcode: 40029, errmsg: 'invalid code' });
        usedCodes.add(code);
        return reply({ openid: session.openid, session_key: 'c2Vzc2lvbmtleQ==', unionid: session.unionid });
      }
      case '/cgi-bin/stable_token': {
        if (req.method !== 'POST' || body.appid !== appid || body.secret !== secret || body.grant_type !== 'client_credential') {
          return reply({ errcode: 40013, errmsg: 'invalid appid' });
        }
        if (!currentToken || body.force_refresh === true) {
          fake.tokensIssued += 1;
          currentToken = `fake-token-${fake.tokensIssued}`;
        }
        return reply({ access_token: currentToken, expires_in: 7200 });
      }
      case '/wxa/business/getuserphonenumber': {
        if (!currentToken || query.access_token !== currentToken) return reply({ errcode: 40001, errmsg: 'invalid credential' });
        const phone = fake.phoneCodes.get(String(body.code));
        if (!phone) return reply({ errcode: 40029, errmsg: 'invalid code' });
        return reply({
          errcode: 0,
          errmsg: 'ok',
          phone_info: { phoneNumber: phone, purePhoneNumber: phone, countryCode: '86', watermark: { appid, timestamp: 0 } },
        });
      }
      case '/cgi-bin/message/subscribe/send': {
        const scripted = fake.subscribeReplies.shift() ?? {};
        if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
        if (scripted.status && scripted.status !== 200) {
          res.writeHead(scripted.status);
          return res.end();
        }
        if (!currentToken || query.access_token !== currentToken) return reply({ errcode: 40001, errmsg: 'invalid credential' });
        if (typeof body.touser !== 'string' || typeof body.template_id !== 'string' || typeof body.data !== 'object') {
          return reply({ errcode: 47003, errmsg: 'argument invalid' });
        }
        const errcode = scripted.errcode ?? 0;
        if (errcode === 0) fake.subscribeSent.push(body);
        return reply({
          errcode,
          errmsg: errcode === 0 ? 'ok' : errcode === 43101 ? 'user refuse to accept the msg' : 'system error',
        });
      }
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...(fake as FakeWechat),
    get tokensIssued() {
      return fake.tokensIssued;
    },
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
