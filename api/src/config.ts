import { z } from 'zod';

/**
 * The only reader of process.env. Every variable of API.md is parsed here, once, into a typed
 * object; anything wrong is reported together so an operator fixes a deployment in one go.
 */

export const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-in-production-0000';
/** 32 zero-padded bytes: good enough to exercise encryption in dev, refused in production. */
export const DEV_ID_CARD_KEY = '6465762d6f6e6c792d69642d636172642d6b65792d3030303030303030303030';
export const DEFAULT_DATABASE_URL = 'sqlite:./data/dev.sqlite3';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const httpUrl = z.url({ protocol: /^https?$/ });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: optionalString,
  PORT: int(0, 65535).default(3000),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine((v) => /^sqlite:.+/.test(v) || /^mysql:\/\/.+/.test(v), {
      message: 'must be mysql://user:pass@host:port/db or sqlite:<path>',
    }),
  REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_JWT_SECRET),

  WECHAT_APPID: optionalString,
  WECHAT_SECRET: optionalString,
  WECHAT_API_BASE: httpUrl.default('https://api.weixin.qq.com'),
  WECHAT_SUBSCRIBE_TEMPLATES: optionalString,

  WXPAY_MCHID: optionalString,
  WXPAY_SERIAL_NO: optionalString,
  WXPAY_PRIVATE_KEY: optionalString,
  WXPAY_APIV3_KEY: optionalString.pipe(z.string().length(32, 'must be exactly 32 characters').optional()),
  WXPAY_PLATFORM_CERT: optionalString,
  /** The key id (`PUB_KEY_ID_…`) when WXPAY_PLATFORM_CERT is a WeChat Pay public key rather than a certificate. */
  WXPAY_PLATFORM_SERIAL: optionalString,
  WXPAY_NOTIFY_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  WXPAY_API_BASE: httpUrl.default('https://api.mch.weixin.qq.com'),
  /** Merchant transfer (商家转账) scene: 1005 is 佣金报酬, which an electrician's earnings are. */
  WXPAY_TRANSFER_SCENE_ID: z
    .string()
    .regex(/^\d{1,10}$/, 'must be a scene id (digits)')
    .default('1005'),
  /** Where WeChat Pay sends transfer results; unset: next to WXPAY_NOTIFY_URL (…/transfer-notify). */
  WXPAY_TRANSFER_NOTIFY_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),

  STORAGE: z.enum(['local', 'cos']).default('local'),
  COS_SECRET_ID: optionalString,
  COS_SECRET_KEY: optionalString,
  COS_BUCKET: optionalString,
  COS_REGION: optionalString,
  UPLOAD_ROOT: z.string().min(1).default('./data/uploads'),
  MAX_UPLOAD_MB: z.coerce.number().positive().max(100).default(8),

  ADMIN_OPENIDS: list.default([]),
  TRUST_PROXY: int(0, 10).default(0),
  CORS_ORIGINS: list.default([]),
  SHUTDOWN_TIMEOUT_MS: int(1_000, 600_000).default(10_000),
  SESSION_CACHE_MS: int(0, 300_000).default(10_000),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ID_CARD_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 32-byte key)')
    .default(DEV_ID_CARD_KEY),
  SEED_DEMO: bool.optional(),
  SMS_PROVIDER: z.enum(['dev', 'disabled']).optional(),

  PLATFORM_FEE_RATE: z.coerce.number().min(0).max(1).default(0.1),
  ORDER_PENDING_TTL_MINUTES: int(1, 7 * 24 * 60).default(30),
  DISPATCH_RADIUS_KM: z.coerce.number().positive().max(100).default(10),
  DISPATCH_OFFER_SECONDS: int(5, 3600).default(60),
  MAX_ACTIVE_ORDERS: int(1, 50).default(3),
  SETTLEMENT_DELAY_DAYS: int(0, 365).default(7),
  ARRIVE_SLA_MINUTES: int(1, 24 * 60).default(120),
  PRICE_TABLE: optionalString.pipe(z.string().optional()),
  WARRANTY_DAYS: int(0, 3650).default(90),
  WITHDRAW_MIN_FEN: int(1, 100_000_000).default(100),
  WITHDRAW_DAILY_MAX_FEN: int(1, 100_000_000).default(200_000),
  WITHDRAW_REVIEW_FEN: int(1, 100_000_000).default(50_000),
  WITHDRAW_CONFIRM_HOURS: int(1, 24 * 30).default(24),
});

type Raw = z.infer<typeof schema>;

export const FAULT_TYPES = ['circuit', 'appliance', 'lighting', 'installation', 'maintenance', 'emergency', 'other'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

const fen = z.number().int().min(0).max(10_000_000);
const priceTable = z.strictObject({
  visitFee: z.strictObject(Object.fromEntries(FAULT_TYPES.map((f) => [f, fen])) as Record<FaultType, typeof fen>),
  estimate: z.strictObject(Object.fromEntries(FAULT_TYPES.map((f) => [f, fen])) as Record<FaultType, typeof fen>),
  urgentSurcharge: fen,
});
export type PriceTable = z.infer<typeof priceTable>;

/** Fen. The visit fee is what a customer owes if they cancel after the electrician has arrived. */
export const DEFAULT_PRICE_TABLE: PriceTable = {
  visitFee: {
    circuit: 3000,
    appliance: 3000,
    lighting: 2000,
    installation: 3000,
    maintenance: 3000,
    emergency: 5000,
    other: 3000,
  },
  estimate: {
    circuit: 12000,
    appliance: 10000,
    lighting: 8000,
    installation: 15000,
    maintenance: 10000,
    emergency: 20000,
    other: 10000,
  },
  urgentSurcharge: 3000,
};

/** The subscribe messages the platform sends (SPEC 3.6); each is configured with a template of the mini-program. */
export const SUBSCRIBE_TEMPLATE_KEYS = [
  'orderAccepted',
  'electricianArrived',
  'quoteReady',
  'orderCompleted',
  'paymentSuccess',
  'orderCancelled',
  'verificationResult',
  'complaintUpdate',
  /** To available electricians near a new (or released) order, as its `new-order` push. */
  'newOrder',
  /** To the electrician a dispatch offer went to. */
  'dispatchOffer',
] as const;
export type SubscribeTemplateKey = (typeof SUBSCRIBE_TEMPLATE_KEYS)[number];
/** What a template's data fields may be filled with (`fields` maps a WeChat field such as `thing2` to one). */
export const SUBSCRIBE_VARIABLES = ['orderNo', 'title', 'status', 'amount', 'name', 'note', 'time'] as const;
export type SubscribeVariable = (typeof SUBSCRIBE_VARIABLES)[number];

const subscribeTemplates = z.partialRecord(
  z.enum(SUBSCRIBE_TEMPLATE_KEYS),
  z.strictObject({
    templateId: z.string().min(1).max(64),
    /** The mini-program page opened from the message; `{orderId}` is replaced by the order's id. */
    page: z.string().min(1).max(200).optional(),
    fields: z.record(z.string().regex(/^[a-z_]+\d+$/), z.enum(SUBSCRIBE_VARIABLES)),
  }),
);
export type SubscribeTemplates = z.infer<typeof subscribeTemplates>;

export interface Config {
  env: Raw['NODE_ENV'];
  isProduction: boolean;
  host: string;
  port: number;
  databaseUrl: string;
  redisUrl?: string;
  jwtSecret: string;
  logLevel: NonNullable<Raw['LOG_LEVEL']>;
  trustProxy: number;
  corsOrigins: string[];
  /**
   * Who may read `/metrics`: with METRICS_TOKEN set, callers presenting it as a bearer token; without
   * it, everyone in development and test, no one in production (404).
   */
  metrics: { access: 'token'; token: string } | { access: 'open' } | { access: 'closed' };
  adminOpenids: string[];
  /** SIGTERM/SIGINT: how long shutdown may take before the process exits non-zero anyway. */
  shutdownTimeoutMs: number;
  /**
   * How long an instance keeps a session check in memory (0: read the database on every request).
   * Changes made through the platform reach every instance at once; one written into the database
   * by hand, within this long.
   */
  sessionCacheMs: number;
  idCardKey: Buffer;
  seedDemo: boolean;
  wechat: { mode: 'dev'; apiBase: string } | { mode: 'live'; appid: string; secret: string; apiBase: string };
  /** Empty: no subscribe messages are sent. */
  subscribeTemplates: SubscribeTemplates;
  sms: { provider: 'dev' | 'disabled' };
  wxpay:
    | { mode: 'dev'; apiBase: string }
    | {
        mode: 'live';
        mchid: string;
        serialNo: string;
        privateKey: string;
        apiV3Key: string;
        platformCert: string;
        platformSerial?: string;
        notifyUrl: string;
        apiBase: string;
      };
  storage:
    | { driver: 'local'; uploadRoot: string; maxUploadMb: number }
    | {
        driver: 'cos';
        uploadRoot: string;
        maxUploadMb: number;
        secretId: string;
        secretKey: string;
        bucket: string;
        region: string;
      };
  business: {
    platformFeeRate: number;
    orderPendingTtlMinutes: number;
    dispatchRadiusKm: number;
    dispatchOfferSeconds: number;
    maxActiveOrders: number;
    settlementDelayDays: number;
    arriveSlaMinutes: number;
    warrantyDays: number;
    prices: PriceTable;
  };
  /** Electrician payouts (提现, SPEC 3.9): rules in fen, and the merchant transfer's scene and notify URL. */
  payouts: {
    minFen: number;
    dailyMaxFen: number;
    reviewFen: number;
    confirmHours: number;
    transferSceneId: string;
    /** Unset in dev pay mode and when neither WXPAY_TRANSFER_NOTIFY_URL nor WXPAY_NOTIFY_URL is set. */
    transferNotifyUrl?: string;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const WXPAY_KEYS = [
  'WXPAY_MCHID',
  'WXPAY_SERIAL_NO',
  'WXPAY_PRIVATE_KEY',
  'WXPAY_APIV3_KEY',
  'WXPAY_PLATFORM_CERT',
  'WXPAY_NOTIFY_URL',
] as const;
const COS_KEYS = ['COS_SECRET_ID', 'COS_SECRET_KEY', 'COS_BUCKET', 'COS_REGION'] as const;

/** Parses an environment (process.env by default) or throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const v = parsed.data;
  const problems: string[] = [];
  const isProduction = v.NODE_ENV === 'production';

  const wechatSet = [v.WECHAT_APPID, v.WECHAT_SECRET].filter(Boolean).length;
  if (wechatSet === 1) problems.push('WECHAT_APPID and WECHAT_SECRET must be set together');

  const wxpayMissing = WXPAY_KEYS.filter((k) => !v[k]);
  if (wxpayMissing.length > 0 && wxpayMissing.length < WXPAY_KEYS.length) {
    problems.push(`WeChat Pay is partly configured; also set ${wxpayMissing.join(', ')}`);
  }

  if (v.STORAGE === 'cos') {
    const cosMissing = COS_KEYS.filter((k) => !v[k]);
    if (cosMissing.length > 0) problems.push(`STORAGE=cos requires ${cosMissing.join(', ')}`);
  }

  const wechatDev = wechatSet === 0;
  const wxpayDev = wxpayMissing.length === WXPAY_KEYS.length;
  const smsProvider = v.SMS_PROVIDER ?? (isProduction ? 'disabled' : 'dev');

  if (isProduction) {
    if (v.JWT_SECRET === DEV_JWT_SECRET) problems.push('JWT_SECRET: production refuses the dev secret; set a random value');
    if (v.ID_CARD_KEY === DEV_ID_CARD_KEY)
      problems.push('ID_CARD_KEY: production refuses the dev key; set 64 random hex characters');
    if (wechatDev) problems.push('WECHAT_APPID/WECHAT_SECRET: production refuses dev WeChat mode');
    if (wxpayDev) problems.push(`${WXPAY_KEYS.join('/')}: production refuses dev pay mode`);
    if (v.DATABASE_URL.startsWith('sqlite:'))
      problems.push('DATABASE_URL: production refuses the embedded SQLite database; use mysql://');
    if (smsProvider === 'dev') problems.push('SMS_PROVIDER: production refuses the dev SMS provider');
  }

  let prices = DEFAULT_PRICE_TABLE;
  if (v.PRICE_TABLE) {
    let json: unknown;
    try {
      json = JSON.parse(v.PRICE_TABLE);
    } catch {
      json = undefined;
    }
    const table = priceTable.safeParse(json);
    if (table.success) prices = table.data;
    else
      problems.push(`PRICE_TABLE: must be JSON like {"visitFee": {<faultType>: fen}, "estimate": {...}, "urgentSurcharge": fen}`);
  }

  let templates: SubscribeTemplates = {};
  if (v.WECHAT_SUBSCRIBE_TEMPLATES) {
    let json: unknown;
    try {
      json = JSON.parse(v.WECHAT_SUBSCRIBE_TEMPLATES);
    } catch {
      json = undefined;
    }
    const parsedTemplates = subscribeTemplates.safeParse(json);
    if (parsedTemplates.success) templates = parsedTemplates.data;
    else
      problems.push(
        `WECHAT_SUBSCRIBE_TEMPLATES: must be JSON like {"orderAccepted": {"templateId": "…", "page": "pages/user/order-detail/index?id={orderId}", "fields": {"character_string1": "orderNo"}}}; keys ${SUBSCRIBE_TEMPLATE_KEYS.join(', ')}; variables ${SUBSCRIBE_VARIABLES.join(', ')}`,
      );
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const storageBase = { uploadRoot: v.UPLOAD_ROOT, maxUploadMb: v.MAX_UPLOAD_MB };
  return {
    env: v.NODE_ENV,
    isProduction,
    host: v.HOST ?? (isProduction ? '0.0.0.0' : '127.0.0.1'),
    port: v.PORT,
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    jwtSecret: v.JWT_SECRET,
    logLevel: v.LOG_LEVEL ?? (v.NODE_ENV === 'test' ? 'silent' : 'info'),
    trustProxy: v.TRUST_PROXY,
    corsOrigins: v.CORS_ORIGINS,
    metrics: v.METRICS_TOKEN
      ? { access: 'token', token: v.METRICS_TOKEN }
      : isProduction
        ? { access: 'closed' }
        : { access: 'open' },
    adminOpenids: v.ADMIN_OPENIDS,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    sessionCacheMs: v.SESSION_CACHE_MS,
    idCardKey: Buffer.from(v.ID_CARD_KEY, 'hex'),
    seedDemo: v.SEED_DEMO ?? v.NODE_ENV === 'development',
    wechat: wechatDev
      ? { mode: 'dev', apiBase: v.WECHAT_API_BASE }
      : { mode: 'live', appid: v.WECHAT_APPID!, secret: v.WECHAT_SECRET!, apiBase: v.WECHAT_API_BASE },
    subscribeTemplates: templates,
    sms: { provider: smsProvider },
    wxpay: wxpayDev
      ? { mode: 'dev', apiBase: v.WXPAY_API_BASE }
      : {
          mode: 'live',
          mchid: v.WXPAY_MCHID!,
          serialNo: v.WXPAY_SERIAL_NO!,
          privateKey: v.WXPAY_PRIVATE_KEY!,
          apiV3Key: v.WXPAY_APIV3_KEY!,
          platformCert: v.WXPAY_PLATFORM_CERT!,
          platformSerial: v.WXPAY_PLATFORM_SERIAL,
          notifyUrl: v.WXPAY_NOTIFY_URL!,
          apiBase: v.WXPAY_API_BASE,
        },
    storage:
      v.STORAGE === 'cos'
        ? {
            driver: 'cos',
            ...storageBase,
            secretId: v.COS_SECRET_ID!,
            secretKey: v.COS_SECRET_KEY!,
            bucket: v.COS_BUCKET!,
            region: v.COS_REGION!,
          }
        : { driver: 'local', ...storageBase },
    business: {
      platformFeeRate: v.PLATFORM_FEE_RATE,
      orderPendingTtlMinutes: v.ORDER_PENDING_TTL_MINUTES,
      dispatchRadiusKm: v.DISPATCH_RADIUS_KM,
      dispatchOfferSeconds: v.DISPATCH_OFFER_SECONDS,
      maxActiveOrders: v.MAX_ACTIVE_ORDERS,
      settlementDelayDays: v.SETTLEMENT_DELAY_DAYS,
      arriveSlaMinutes: v.ARRIVE_SLA_MINUTES,
      warrantyDays: v.WARRANTY_DAYS,
      prices,
    },
    payouts: {
      minFen: v.WITHDRAW_MIN_FEN,
      dailyMaxFen: v.WITHDRAW_DAILY_MAX_FEN,
      reviewFen: v.WITHDRAW_REVIEW_FEN,
      confirmHours: v.WITHDRAW_CONFIRM_HOURS,
      transferSceneId: v.WXPAY_TRANSFER_SCENE_ID,
      transferNotifyUrl:
        v.WXPAY_TRANSFER_NOTIFY_URL ??
        (v.WXPAY_NOTIFY_URL ? new URL('transfer-notify', v.WXPAY_NOTIFY_URL).toString() : undefined),
    },
  };
}
