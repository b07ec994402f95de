import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_URL, DEV_ID_CARD_KEY, DEV_JWT_SECRET, loadConfig } from '../config';

type Env = Record<string, string | undefined>;

const ROOT = path.resolve(__dirname, '../../..');

/** The problems loadConfig reports for an environment; fails the test when it loads instead. */
function problemsOf(env: Env): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

/** A complete live production environment; each refusal test breaks exactly one part of it. */
function productionEnv(overrides: Env = {}): Env {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: 'mysql://repair:s3cret@db.internal:3306/repair',
    JWT_SECRET: 'a-very-long-random-production-secret-0123456789',
    ID_CARD_KEY: '0123456789abcdef'.repeat(4),
    WECHAT_APPID: 'wx1234567890abcdef',
    WECHAT_SECRET: 'wechat-app-secret',
    WXPAY_MCHID: '1900000001',
    WXPAY_SERIAL_NO: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    WXPAY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
    WXPAY_APIV3_KEY: 'abcdefghijklmnopqrstuvwxyz012345',
    WXPAY_PLATFORM_CERT: '-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----',
    WXPAY_NOTIFY_URL: 'https://api.example.com/api/payments/notify',
    ...overrides,
  };
}

const WXPAY_UNSET: Env = {
  WXPAY_MCHID: undefined,
  WXPAY_SERIAL_NO: undefined,
  WXPAY_PRIVATE_KEY: undefined,
  WXPAY_APIV3_KEY: undefined,
  WXPAY_PLATFORM_CERT: undefined,
  WXPAY_NOTIFY_URL: undefined,
};

describe('config defaults', () => {
  it('when the environment is empty, then the documented development defaults apply', () => {
    const c = loadConfig({});

    expect(c.env).toBe('development');
    expect(c.isProduction).toBe(false);
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.databaseUrl).toBe(DEFAULT_DATABASE_URL);
    expect(c.databaseUrl).toBe('sqlite:./data/dev.sqlite3');
    expect(c.redisUrl).toBeUndefined();
    expect(c.jwtSecret).toBe(DEV_JWT_SECRET);
    expect(c.idCardKey).toEqual(Buffer.from(DEV_ID_CARD_KEY, 'hex'));
    expect(c.idCardKey).toHaveLength(32);
    expect(c.wechat).toEqual({ mode: 'dev', apiBase: 'https://api.weixin.qq.com' });
    expect(c.wxpay).toEqual({ mode: 'dev', apiBase: 'https://api.mch.weixin.qq.com' });
    expect(c.sms).toEqual({ provider: 'dev' });
    expect(c.storage).toEqual({ driver: 'local', uploadRoot: './data/uploads', maxUploadMb: 8 });
    expect(c.adminOpenids).toEqual([]);
    expect(c.corsOrigins).toEqual([]);
    expect(c.trustProxy).toBe(0);
    expect(c.logLevel).toBe('info');
    expect(c.seedDemo).toBe(true);
    expect(c.business).toMatchObject({
      platformFeeRate: 0.1,
      orderPendingTtlMinutes: 30,
      dispatchRadiusKm: 10,
      dispatchOfferSeconds: 60,
      maxActiveOrders: 3,
      settlementDelayDays: 7,
    });
  });

  it('when NODE_ENV is test, then demo seeding is off and logging is silent', () => {
    const c = loadConfig({ NODE_ENV: 'test' });

    expect(c.env).toBe('test');
    expect(c.seedDemo).toBe(false);
    expect(c.logLevel).toBe('silent');
    expect(c.host).toBe('127.0.0.1');
  });

  it('when a variable is set to an empty string, then it counts as unset', () => {
    const c = loadConfig({ WECHAT_APPID: '', WECHAT_SECRET: '  ', REDIS_URL: '', HOST: '' });

    expect(c.wechat.mode).toBe('dev');
    expect(c.redisUrl).toBeUndefined();
    expect(c.host).toBe('127.0.0.1');
  });
});

describe('config parsing', () => {
  it('when ADMIN_OPENIDS and CORS_ORIGINS are comma lists with spaces, then they are trimmed lists without empties', () => {
    const c = loadConfig({
      ADMIN_OPENIDS: ' dev-admin , oAbc123 ,, ',
      CORS_ORIGINS: 'https://admin.example.com,  http://localhost:5173 ',
    });

    expect(c.adminOpenids).toEqual(['dev-admin', 'oAbc123']);
    expect(c.corsOrigins).toEqual(['https://admin.example.com', 'http://localhost:5173']);
  });

  it('when SEED_DEMO is false in development, then demo seeding is off', () => {
    expect(loadConfig({ NODE_ENV: 'development', SEED_DEMO: 'false' }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('when numeric variables are strings, then they are coerced to numbers', () => {
    const c = loadConfig({
      PORT: '8080',
      TRUST_PROXY: '1',
      MAX_UPLOAD_MB: '16',
      PLATFORM_FEE_RATE: '0.15',
      ORDER_PENDING_TTL_MINUTES: '45',
      DISPATCH_RADIUS_KM: '7.5',
      DISPATCH_OFFER_SECONDS: '90',
      MAX_ACTIVE_ORDERS: '5',
      SETTLEMENT_DELAY_DAYS: '0',
    });

    expect(c.port).toBe(8080);
    expect(c.trustProxy).toBe(1);
    expect(c.storage.maxUploadMb).toBe(16);
    expect(c.business).toMatchObject({
      platformFeeRate: 0.15,
      orderPendingTtlMinutes: 45,
      dispatchRadiusKm: 7.5,
      dispatchOfferSeconds: 90,
      maxActiveOrders: 5,
      settlementDelayDays: 0,
    });
  });

  it('when HOST, REDIS_URL, LOG_LEVEL and a mysql DATABASE_URL are given, then they are used as given', () => {
    const c = loadConfig({
      HOST: '0.0.0.0',
      REDIS_URL: 'redis://127.0.0.1:6379/0',
      LOG_LEVEL: 'debug',
      DATABASE_URL: 'mysql://u:p@127.0.0.1:3306/repair',
    });

    expect(c.host).toBe('0.0.0.0');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379/0');
    expect(c.logLevel).toBe('debug');
    expect(c.databaseUrl).toBe('mysql://u:p@127.0.0.1:3306/repair');
  });

  it('when STORAGE=cos has every COS_* key, then the cos driver is configured', () => {
    const c = loadConfig({
      STORAGE: 'cos',
      COS_SECRET_ID: 'id',
      COS_SECRET_KEY: 'key',
      COS_BUCKET: 'repair-1250000000',
      COS_REGION: 'ap-shanghai',
    });

    expect(c.storage).toEqual({
      driver: 'cos',
      uploadRoot: './data/uploads',
      maxUploadMb: 8,
      secretId: 'id',
      secretKey: 'key',
      bucket: 'repair-1250000000',
      region: 'ap-shanghai',
    });
  });
});

describe('config failures', () => {
  it.each([
    ['not a number', 'abc'],
    ['out of range', '70000'],
    ['not an integer', '80.5'],
  ])('when PORT is %s, then PORT is reported', (_what, value) => {
    const problems = problemsOf({ PORT: value });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT: /);
  });

  it('when DATABASE_URL has an unknown scheme, then the accepted forms are named', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://u:p@localhost/db' })).toEqual([
      'DATABASE_URL: must be mysql://user:pass@host:port/db or sqlite:<path>',
    ]);
    expect(problemsOf({ DATABASE_URL: 'sqlite:' })).toEqual([
      'DATABASE_URL: must be mysql://user:pass@host:port/db or sqlite:<path>',
    ]);
  });

  it('when JWT_SECRET is shorter than 32 characters, then it is refused', () => {
    expect(problemsOf({ JWT_SECRET: 'short-secret' })).toEqual(['JWT_SECRET: must be at least 32 characters']);
  });

  it('when REDIS_URL is not a redis URL, then REDIS_URL is reported', () => {
    for (const value of ['not a url', 'http://127.0.0.1:6379']) {
      const problems = problemsOf({ REDIS_URL: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^REDIS_URL: /);
    }
  });

  it('when WXPAY_APIV3_KEY is not 32 characters, then its length is reported', () => {
    expect(problemsOf({ WXPAY_APIV3_KEY: 'too-short' })).toEqual(['WXPAY_APIV3_KEY: must be exactly 32 characters']);
  });

  it('when ID_CARD_KEY is not 64 hex characters, then it is refused', () => {
    for (const value of ['abc', 'z'.repeat(64), '0'.repeat(63)]) {
      expect(problemsOf({ ID_CARD_KEY: value })).toEqual(['ID_CARD_KEY: must be 64 hex characters (a 32-byte key)']);
    }
  });

  it('when STORAGE=cos lacks COS_* keys, then the message names exactly the missing ones', () => {
    expect(problemsOf({ STORAGE: 'cos', COS_SECRET_ID: 'id', COS_REGION: 'ap-shanghai' })).toEqual([
      'STORAGE=cos requires COS_SECRET_KEY, COS_BUCKET',
    ]);
    expect(problemsOf({ STORAGE: 'cos' })).toEqual([
      'STORAGE=cos requires COS_SECRET_ID, COS_SECRET_KEY, COS_BUCKET, COS_REGION',
    ]);
  });

  it('when only one of WECHAT_APPID and WECHAT_SECRET is set, then both are required together', () => {
    expect(problemsOf({ WECHAT_APPID: 'wx123' })).toEqual(['WECHAT_APPID and WECHAT_SECRET must be set together']);
    expect(problemsOf({ WECHAT_SECRET: 'secret' })).toEqual(['WECHAT_APPID and WECHAT_SECRET must be set together']);
  });

  it('when WeChat Pay is partly configured, then the message names the missing WXPAY_* keys', () => {
    expect(problemsOf({ WXPAY_MCHID: '1900000001', WXPAY_SERIAL_NO: 'ABC', WXPAY_APIV3_KEY: 'k'.repeat(32) })).toEqual([
      'WeChat Pay is partly configured; also set WXPAY_PRIVATE_KEY, WXPAY_PLATFORM_CERT, WXPAY_NOTIFY_URL',
    ]);
  });

  it('when LOG_LEVEL or STORAGE is not one of the allowed values, then each is reported', () => {
    const logProblems = problemsOf({ LOG_LEVEL: 'verbose' });
    expect(logProblems).toHaveLength(1);
    expect(logProblems[0]).toMatch(/^LOG_LEVEL: /);
    expect(logProblems[0]).toContain('"silent"');

    const storageProblems = problemsOf({ STORAGE: 's3' });
    expect(storageProblems).toHaveLength(1);
    expect(storageProblems[0]).toMatch(/^STORAGE: /);
    expect(storageProblems[0]).toContain('"cos"');
  });

  it('when PLATFORM_FEE_RATE is above 1, then it is refused', () => {
    const problems = problemsOf({ PLATFORM_FEE_RATE: '1.5' });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PLATFORM_FEE_RATE: /);
  });

  it('when several variables are wrong, then one ConfigError lists every one of them', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', JWT_SECRET: 'short', LOG_LEVEL: 'loud', DATABASE_URL: 'ftp://x', PLATFORM_FEE_RATE: '2' });
    } catch (err) {
      error = err;
    }

    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.name).toBe('ConfigError');
    expect(e.problems).toHaveLength(5);
    expect(e.message).toMatch(/^Invalid configuration:\n/);
    for (const key of ['PORT', 'JWT_SECRET', 'LOG_LEVEL', 'DATABASE_URL', 'PLATFORM_FEE_RATE']) {
      expect(e.message).toMatch(new RegExp(`^  - ${key}: `, 'm'));
    }
  });

  it('when cross-variable rules fail together, then they are reported together', () => {
    const problems = problemsOf({ WECHAT_APPID: 'wx123', WXPAY_MCHID: '1900000001', STORAGE: 'cos', COS_BUCKET: 'b' });

    expect(problems).toEqual([
      'WECHAT_APPID and WECHAT_SECRET must be set together',
      'WeChat Pay is partly configured; also set WXPAY_SERIAL_NO, WXPAY_PRIVATE_KEY, WXPAY_APIV3_KEY, WXPAY_PLATFORM_CERT, WXPAY_NOTIFY_URL',
      'STORAGE=cos requires COS_SECRET_ID, COS_SECRET_KEY, COS_REGION',
    ]);
  });
});

describe('config in production', () => {
  it('when every live setting is present, then it loads with public host, live integrations and SMS disabled', () => {
    const c = loadConfig(productionEnv());

    expect(c.isProduction).toBe(true);
    expect(c.host).toBe('0.0.0.0');
    expect(c.sms).toEqual({ provider: 'disabled' });
    expect(c.seedDemo).toBe(false);
    expect(c.logLevel).toBe('info');
    expect(c.wechat).toEqual({
      mode: 'live',
      appid: 'wx1234567890abcdef',
      secret: 'wechat-app-secret',
      apiBase: 'https://api.weixin.qq.com',
    });
    expect(c.wxpay).toMatchObject({
      mode: 'live',
      mchid: '1900000001',
      apiV3Key: 'abcdefghijklmnopqrstuvwxyz012345',
      notifyUrl: 'https://api.example.com/api/payments/notify',
      apiBase: 'https://api.mch.weixin.qq.com',
    });
  });

  it.each<[string, Env, string]>([
    ['the dev JWT secret', { JWT_SECRET: DEV_JWT_SECRET }, 'JWT_SECRET: production refuses the dev secret; set a random value'],
    ['an unset JWT secret', { JWT_SECRET: undefined }, 'JWT_SECRET: production refuses the dev secret; set a random value'],
    [
      'the dev ID_CARD_KEY',
      { ID_CARD_KEY: DEV_ID_CARD_KEY },
      'ID_CARD_KEY: production refuses the dev key; set 64 random hex characters',
    ],
    [
      'missing WeChat credentials',
      { WECHAT_APPID: undefined, WECHAT_SECRET: undefined },
      'WECHAT_APPID/WECHAT_SECRET: production refuses dev WeChat mode',
    ],
    [
      'missing WeChat Pay settings',
      WXPAY_UNSET,
      'WXPAY_MCHID/WXPAY_SERIAL_NO/WXPAY_PRIVATE_KEY/WXPAY_APIV3_KEY/WXPAY_PLATFORM_CERT/WXPAY_NOTIFY_URL: production refuses dev pay mode',
    ],
    [
      'a sqlite DATABASE_URL',
      { DATABASE_URL: 'sqlite:/var/lib/repair/prod.sqlite3' },
      'DATABASE_URL: production refuses the embedded SQLite database; use mysql://',
    ],
    [
      'the default DATABASE_URL',
      { DATABASE_URL: undefined },
      'DATABASE_URL: production refuses the embedded SQLite database; use mysql://',
    ],
    ['SMS_PROVIDER=dev', { SMS_PROVIDER: 'dev' }, 'SMS_PROVIDER: production refuses the dev SMS provider'],
  ])('when production is given %s, then it is refused with its own message', (_what, overrides, message) => {
    expect(problemsOf(productionEnv(overrides))).toEqual([message]);
  });

  it('when production has nothing configured, then every refusal is listed at once', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });

    expect(problems).toHaveLength(5);
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'JWT_SECRET',
      'ID_CARD_KEY',
      'WECHAT_APPID/WECHAT_SECRET',
      'WXPAY_MCHID/WXPAY_SERIAL_NO/WXPAY_PRIVATE_KEY/WXPAY_APIV3_KEY/WXPAY_PLATFORM_CERT/WXPAY_NOTIFY_URL',
      'DATABASE_URL',
    ]);
  });
});

describe('config at process start', () => {
  it('when main.ts starts with NODE_ENV=production and nothing else, then it exits 1 listing the problems on stderr', async () => {
    // A temp cwd guarantees no .env is read; tsx and the entrypoint are addressed absolutely.
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-config-'));
    try {
      const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'api/src/main.ts')], {
        cwd,
        env: { PATH: process.env.PATH, NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (c) => resolve(c));
      });

      expect(code).toBe(1);
      expect(stderr).toContain('Invalid configuration');
      expect(stderr).toMatch(/^ {2}- JWT_SECRET: /m);
      expect(stderr).toMatch(/^ {2}- WECHAT_APPID\/WECHAT_SECRET: /m);
      expect(stderr).toMatch(/^ {2}- DATABASE_URL: /m);
      expect(stdout).not.toContain('API listening');
      // Nothing was started, so no embedded database was created either.
      expect(fs.readdirSync(cwd)).toEqual([]);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
