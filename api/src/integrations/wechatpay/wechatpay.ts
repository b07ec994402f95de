/**
 * WeChat Pay v3 (JSAPI, for the mini-program) behind one interface, with two implementations:
 * live (the `wechatpay-node-v3` SDK with our own transport) and dev (an in-process sandbox with
 * generated keys). Both verify and decrypt notifies with the same code (`./crypto`).
 */
import { generateKeyPairSync, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import WxPay from 'wechatpay-node-v3';
import { AppError } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import {
  decryptResource,
  encryptResource,
  nonceStr,
  platformKeyOf,
  rsaSign,
  rsaVerify,
  signatureMessage,
  type EncryptedResource,
} from './crypto';

export type { EncryptedResource } from './crypto';

/** What `wx.requestPayment` takes (its appId is implied by the mini-program). */
export interface PaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** The fields of a WeChat Pay transaction (query answer or decrypted notify) the platform reads. */
export interface Transaction {
  mchid: string;
  appid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: 'SUCCESS' | 'NOTPAY' | 'CLOSED' | 'REFUND' | 'REVOKED' | 'USERPAYING' | 'PAYERROR' | string;
  bank_type?: string;
  success_time?: string;
  payer?: { openid?: string };
  amount?: { total?: number; payer_total?: number; currency?: string };
}

export interface PrepayRequest {
  paymentNo: string;
  description: string;
  amount: number;
  openid: string;
  expireAt: Date;
}

export interface RefundRequest {
  paymentNo: string;
  refundNo: string;
  amount: number;
  /** The payment's amount, which WeChat Pay checks. */
  total: number;
  reason: string;
}

/** The fields of a refund (API answer or decrypted REFUND.* notify) the platform reads. */
export interface RefundResult {
  mchid?: string;
  out_trade_no?: string;
  out_refund_no: string;
  refund_id?: string;
  /** the API answer's field */
  status?: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
  /** the notify's field */
  refund_status?: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
  amount?: { total?: number; refund?: number };
}

export type NotifyHeaders = Record<string, string | string[] | undefined>;

/** A merchant transfer (商家转账, 2025 API) to an electrician's WeChat change (零钱). */
export interface TransferBillRequest {
  outBillNo: string;
  openid: string;
  /** fen */
  amount: number;
  /** 转账备注 the recipient sees (at most 32 characters) */
  remark: string;
  sceneId: string;
  /** Where WeChat Pay sends the result (the live client needs it; the dev sandbox sends none). */
  notifyUrl?: string;
}

export type TransferBillState =
  'ACCEPTED' | 'PROCESSING' | 'WAIT_USER_CONFIRM' | 'TRANSFERING' | 'SUCCESS' | 'FAIL' | 'CANCELING' | 'CANCELLED';

/** The fields of a transfer bill (create or query answer, decrypted notify) the platform reads. */
export interface TransferBill {
  mch_id?: string;
  out_bill_no: string;
  transfer_bill_no?: string;
  state: TransferBillState | string;
  /** For `wx.requestMerchantTransfer` while the bill waits for the recipient. */
  package_info?: string;
  transfer_amount?: number;
  openid?: string;
  fail_reason?: string;
  create_time?: string;
  update_time?: string;
}

/** The recipient's confirmation wording and the scene report WeChat Pay asks of scene 1005 (佣金报酬). */
export const TRANSFER_RECV_PERCEPTION = '劳务报酬';
export const TRANSFER_SCENE_REPORT_INFOS = [
  { info_type: '岗位类型', info_content: '电工' },
  { info_type: '报酬说明', info_content: '维修服务收入' },
];

/** WeChat Pay refused a transfer request outright (4xx with a code): retrying the same bill will not help. */
export const transferRefused = (code: string, message: string) =>
  new AppError('TRANSFER_REFUSED', 409, `微信支付拒绝了转账：${message}`, [{ message: code }]);

export interface WechatPay {
  readonly mode: 'dev' | 'live';
  readonly mchid: string;
  readonly appid: string;
  createPrepay(p: PrepayRequest): Promise<{ prepayId: string; params: PaymentParams }>;
  /** Params for an existing prepay id (a reused open payment). */
  paymentParams(prepayId: string): PaymentParams;
  query(paymentNo: string): Promise<Transaction>;
  /** 'paid' when WeChat Pay refuses because the payment already succeeded. */
  close(paymentNo: string): Promise<'closed' | 'paid'>;
  /** Idempotent per refundNo at WeChat Pay: a retry with the same number never refunds twice. */
  refund(r: RefundRequest): Promise<RefundResult>;
  /** True only for a signature by the platform key named in Wechatpay-Serial, made within 300 s. */
  verifyNotify(headers: NotifyHeaders, rawBody: string): boolean;
  /** Throws on a bad GCM tag. */
  decryptResource(resource: EncryptedResource): string;
  /**
   * Creates a transfer bill, or answers the existing one for the same out_bill_no. Throws
   * `transferRefused` when WeChat Pay refuses it, `wxpayUnavailable` when it cannot be asked.
   */
  createTransferBill(r: TransferBillRequest): Promise<TransferBill>;
  /** The bill by out_bill_no; undefined when WeChat Pay has none (it was never created). */
  queryTransferBill(outBillNo: string): Promise<TransferBill | undefined>;
  /** Cancels a bill the recipient has not confirmed: answers CANCELING or CANCELLED (or the bill's final state). */
  cancelTransferBill(outBillNo: string): Promise<TransferBill>;
}

export const DEV_PAY_APPID = 'wx-dev-pay-appid';
/** Transfer-bill states after which nothing changes. */
export const FINAL_TRANSFER_STATES: ReadonlySet<string> = new Set(['SUCCESS', 'FAIL', 'CANCELLED']);
const HOST = 'https://api.mch.weixin.qq.com';
const TRANSFER_BILLS = '/v3/fund-app/mch-transfer/transfer-bills';
const MAX_SKEW_SECONDS = 300;

export const wxpayUnavailable = (detail?: string) =>
  new AppError('PAYMENT_PROVIDER_ERROR', 502, '微信支付暂时不可用，请稍后再试', detail ? [{ message: detail }] : undefined);

const header = (h: NotifyHeaders, name: string) => {
  const v = h[name.toLowerCase()] ?? h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The notify check shared by live and dev: serial known, timestamp fresh, RSA signature valid. */
export function verifySignedMessage(
  headers: NotifyHeaders,
  rawBody: string,
  keys: Map<string, KeyObject>,
  clock: Clock,
): boolean {
  const serial = header(headers, 'wechatpay-serial');
  const timestamp = header(headers, 'wechatpay-timestamp');
  const nonce = header(headers, 'wechatpay-nonce');
  const signature = header(headers, 'wechatpay-signature');
  if (!serial || !timestamp || !nonce || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const key = keys.get(serial);
  if (!key) return false;
  if (Math.abs(clock.now().getTime() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) return false;
  return rsaVerify(signatureMessage(timestamp, nonce, rawBody), signature, key);
}

function jsapiParams(appid: string, prepayId: string, privateKey: string | KeyObject, clock: Clock): PaymentParams {
  const timeStamp = String(Math.floor(clock.now().getTime() / 1000));
  const nonce = nonceStr();
  const pkg = `prepay_id=${prepayId}`;
  return {
    timeStamp,
    nonceStr: nonce,
    package: pkg,
    signType: 'RSA',
    paySign: rsaSign(signatureMessage(appid, timeStamp, nonce, pkg), privateKey),
  };
}

/** WeChat Pay wants RFC 3339 with an offset; Beijing time is what merchants see in their console. */
export function rfc3339Beijing(d: Date): string {
  return `${new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

interface SdkResult {
  status: number;
  data?: Record<string, unknown>;
  error?: unknown;
}

export interface LiveWechatPayOptions {
  mchid: string;
  serialNo: string;
  privateKey: string;
  apiV3Key: string;
  platformCert: string;
  platformSerial?: string;
  notifyUrl: string;
  apiBase: string;
  appid: string;
  clock: Clock;
  logger: Logger;
}

/**
 * The SDK signs requests for its hard-coded host; `createHttp` swaps its transport, which sends
 * them to `apiBase` instead (a local fake in tests) and checks the platform's response signature,
 * which the SDK itself does not.
 */
export function createLiveWechatPay(o: LiveWechatPayOptions): WechatPay {
  const platform = platformKeyOf(o.platformCert, o.platformSerial);
  const keys = new Map([[platform.serial, platform.key]]);
  const sdk = new WxPay({
    appid: o.appid,
    mchid: o.mchid,
    serial_no: o.serialNo,
    publicKey: Buffer.from(o.platformCert),
    privateKey: Buffer.from(o.privateKey),
    key: o.apiV3Key,
  });

  const send = async (
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<SdkResult> => {
    const target = url.startsWith(HOST) ? o.apiBase.replace(/\/$/, '') + url.slice(HOST.length) : url;
    let res: Response;
    try {
      res = await fetch(target, {
        method,
        headers: { ...headers, 'Accept-Encoding': 'identity' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      o.logger.warn({ err, url: target }, 'wechat pay request failed');
      return { status: 0, error: 'network error' };
    }
    const text = await res.text();
    if (!verifySignedMessage(Object.fromEntries(res.headers), text, keys, o.clock)) {
      o.logger.error({ url: target, status: res.status }, 'wechat pay response signature invalid');
      return { status: 0, error: 'response signature invalid' };
    }
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return { status: 0, error: 'response is not JSON' };
    }
    return res.ok ? { status: res.status, data: json } : { status: res.status, error: json };
  };
  sdk.createHttp({
    post: (url, params, headers) => send('POST', url, headers, params),
    get: (url, headers) => send('GET', url, headers),
    upload: async () => ({ status: 0, error: 'upload is not used' }),
  });

  const failed = (what: string, r: SdkResult) => {
    o.logger.warn({ status: r.status, error: r.error }, `wechat pay ${what} failed`);
    return wxpayUnavailable(`${what}: ${r.status}`);
  };
  /**
   * A 400, 403 or 404 with a code is WeChat Pay refusing this request (parameters, the merchant's
   * balance or rights); anything else — a signature it rejected (401), rate limits, 5xx, no answer —
   * is WeChat Pay not reachable as it should be, and the same request may be tried again.
   */
  const refusedOrUnavailable = (what: string, r: SdkResult) => {
    const error = r.error as { code?: string; message?: string } | undefined;
    if ([400, 403, 404].includes(r.status) && error?.code) {
      o.logger.warn({ status: r.status, error }, `wechat pay ${what} refused`);
      return transferRefused(error.code, error.message ?? error.code);
    }
    return failed(what, r);
  };

  /**
   * The merchant-transfer endpoints are newer than the SDK: the request is signed with the SDK's
   * own signer over the v3 message (method, path, time, nonce, body — an empty body included, which
   * the SDK's getSignature drops for POSTs), and sent through the same transport.
   */
  const signedCall = (method: 'GET' | 'POST', path: string, body?: object): Promise<SdkResult> => {
    // Wall time, as the SDK's own requests use: WeChat Pay checks it against its clock, not ours.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = nonceStr();
    const payload = body === undefined ? '' : JSON.stringify(body);
    const signature = sdk.sha256WithRsa(signatureMessage(method, path, timestamp, nonce, payload));
    return send(
      method,
      HOST + path,
      {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'User-Agent': 'repair-platform',
        Authorization: sdk.getAuthorization(nonce, timestamp, signature),
      },
      payload === '' ? undefined : payload,
    );
  };

  return {
    mode: 'live',
    mchid: o.mchid,
    appid: o.appid,
    async createPrepay(p) {
      const r = (await sdk.transactions_jsapi({
        description: p.description,
        out_trade_no: p.paymentNo,
        notify_url: o.notifyUrl,
        time_expire: rfc3339Beijing(p.expireAt),
        amount: { total: p.amount, currency: 'CNY' },
        payer: { openid: p.openid },
      })) as SdkResult;
      const pkg = typeof r.data?.package === 'string' ? r.data.package : '';
      if (r.status !== 200 || !pkg.startsWith('prepay_id=')) throw failed('prepay', r);
      const prepayId = pkg.slice('prepay_id='.length);
      // The SDK's params carry its own clock and Math.random nonce; sign ours for the same prepay id.
      return { prepayId, params: jsapiParams(o.appid, prepayId, o.privateKey, o.clock) };
    },
    paymentParams: (prepayId) => jsapiParams(o.appid, prepayId, o.privateKey, o.clock),
    async query(paymentNo) {
      const r = (await sdk.query({ out_trade_no: paymentNo })) as SdkResult;
      if (r.status !== 200 || !r.data) throw failed('query', r);
      return r.data as unknown as Transaction;
    },
    async close(paymentNo) {
      const r = (await sdk.close(paymentNo)) as SdkResult;
      if (r.status === 204 || r.status === 200) return 'closed';
      if ((r.error as { code?: string } | undefined)?.code === 'ORDERPAID') return 'paid';
      throw failed('close', r);
    },
    async refund(r) {
      const res = (await sdk.refunds({
        out_trade_no: r.paymentNo,
        out_refund_no: r.refundNo,
        reason: r.reason,
        // The refund notify lives next to the payment notify: …/notify → …/refund-notify.
        notify_url: new URL('refund-notify', o.notifyUrl).toString(),
        amount: { refund: r.amount, total: r.total, currency: 'CNY' },
      })) as SdkResult;
      if (res.status !== 200 || !res.data) throw failed('refund', res);
      return res.data as unknown as RefundResult;
    },
    verifyNotify: (headers, rawBody) => verifySignedMessage(headers, rawBody, keys, o.clock),
    decryptResource: (resource) => decryptResource(resource, o.apiV3Key),
    async createTransferBill(t) {
      const r = await signedCall('POST', TRANSFER_BILLS, {
        appid: o.appid,
        out_bill_no: t.outBillNo,
        transfer_scene_id: t.sceneId,
        openid: t.openid,
        transfer_amount: t.amount,
        transfer_remark: t.remark,
        notify_url: t.notifyUrl ?? new URL('transfer-notify', o.notifyUrl).toString(),
        user_recv_perception: TRANSFER_RECV_PERCEPTION,
        transfer_scene_report_infos: TRANSFER_SCENE_REPORT_INFOS,
      });
      if (r.status === 200 && r.data) return r.data as unknown as TransferBill;
      throw refusedOrUnavailable('transfer bill', r);
    },
    async queryTransferBill(outBillNo) {
      const r = await signedCall('GET', `${TRANSFER_BILLS}/out-bill-no/${encodeURIComponent(outBillNo)}`);
      if (r.status === 200 && r.data) return r.data as unknown as TransferBill;
      if (r.status === 404) return undefined;
      throw failed('transfer query', r);
    },
    async cancelTransferBill(outBillNo) {
      const r = await signedCall('POST', `${TRANSFER_BILLS}/out-bill-no/${encodeURIComponent(outBillNo)}/cancel`);
      if (r.status === 200 && r.data) return r.data as unknown as TransferBill;
      throw refusedOrUnavailable('transfer cancel', r);
    },
  };
}

export interface DevWechatPay extends WechatPay {
  readonly mode: 'dev';
  /** A signed, encrypted TRANSACTION.SUCCESS notify for a prepaid payment, as WeChat Pay would send it. */
  successNotify(paymentNo: string): { headers: Record<string, string>; body: string };
  /**
   * The recipient confirms (SUCCESS) or the transfer fails (FAIL): the bill takes that final state
   * (a bill already final keeps its own) and a signed, encrypted MCHTRANSFER.BILL.FINISHED notify
   * for it is returned.
   */
  transferNotify(outBillNo: string, result: 'SUCCESS' | 'FAIL'): { headers: Record<string, string>; body: string };
}

export const isDevWechatPay = (w: WechatPay): w is DevWechatPay => w.mode === 'dev' && 'successNotify' in w;

/**
 * Dev pay mode (no merchant configured, never in production): generated keys play both merchant
 * and platform, so payment params are really signed and dev notifies go through the same
 * verification and decryption as live ones.
 */
export function createDevWechatPay(clock: Clock): DevWechatPay {
  // Keys are generated on first use: most processes (and tests) never pay in dev mode.
  let generated: { merchant: KeyObject; platform: KeyObject; keys: Map<string, KeyObject> } | undefined;
  const platformSerial = `DEV${randomBytes(8).toString('hex').toUpperCase()}`;
  const apiV3Key = randomBytes(16).toString('hex');
  const mchid = '1900000001';
  const dev = () => {
    if (!generated) {
      const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
      generated = {
        merchant: merchant.privateKey,
        platform: platform.privateKey,
        keys: new Map([[platformSerial, platform.publicKey]]),
      };
    }
    return generated;
  };
  const trades = new Map<string, Transaction>();
  const bills = new Map<string, TransferBill>();
  const finishBill = (bill: TransferBill, state: 'SUCCESS' | 'FAIL' | 'CANCELLED', failReason?: string) => {
    bill.state = state;
    bill.update_time = rfc3339Beijing(clock.now());
    if (failReason) bill.fail_reason = failReason;
  };
  /** A notify as WeChat Pay sends it: the resource encrypted with the APIv3 key, the body signed by the platform key. */
  const signedNotify = (eventType: string, originalType: string, summary: string, resource: object) => {
    const body = JSON.stringify({
      id: `dev-${randomBytes(8).toString('hex')}`,
      create_time: rfc3339Beijing(clock.now()),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: { original_type: originalType, ...encryptResource(JSON.stringify(resource), apiV3Key, originalType) },
    });
    const timestamp = String(Math.floor(clock.now().getTime() / 1000));
    const nonce = nonceStr();
    return {
      body,
      headers: {
        'wechatpay-serial': platformSerial,
        'wechatpay-timestamp': timestamp,
        'wechatpay-nonce': nonce,
        'wechatpay-signature': rsaSign(signatureMessage(timestamp, nonce, body), dev().platform),
      },
    };
  };

  const known = (paymentNo: string) => {
    const t = trades.get(paymentNo);
    if (!t) throw new AppError('PAYMENT_PROVIDER_ERROR', 502, '支付单不存在', [{ message: 'ORDER_NOT_EXIST' }]);
    return t;
  };

  return {
    mode: 'dev',
    mchid,
    appid: DEV_PAY_APPID,
    async createPrepay(p) {
      const existing = trades.get(p.paymentNo);
      if (!existing) {
        trades.set(p.paymentNo, {
          mchid,
          appid: DEV_PAY_APPID,
          out_trade_no: p.paymentNo,
          trade_state: 'NOTPAY',
          payer: { openid: p.openid },
          amount: { total: p.amount, currency: 'CNY' },
        });
      }
      const prepayId = `wx_dev_${p.paymentNo}`;
      return { prepayId, params: jsapiParams(DEV_PAY_APPID, prepayId, dev().merchant, clock) };
    },
    paymentParams: (prepayId) => jsapiParams(DEV_PAY_APPID, prepayId, dev().merchant, clock),
    async query(paymentNo) {
      return { ...known(paymentNo) };
    },
    async close(paymentNo) {
      const t = known(paymentNo);
      if (t.trade_state === 'SUCCESS') return 'paid';
      t.trade_state = 'CLOSED';
      return 'closed';
    },
    async refund(r) {
      // The sandbox refunds at once; there is no dev refund notify to wait for.
      const t = known(r.paymentNo);
      return {
        mchid,
        out_trade_no: t.out_trade_no,
        out_refund_no: r.refundNo,
        refund_id: `50${Date.now()}`,
        status: 'SUCCESS',
        amount: { total: r.total, refund: r.amount },
      };
    },
    verifyNotify: (headers, rawBody) => verifySignedMessage(headers, rawBody, dev().keys, clock),
    decryptResource: (resource) => decryptResource(resource, apiV3Key),
    successNotify(paymentNo) {
      const t = known(paymentNo);
      if (t.trade_state !== 'SUCCESS') {
        Object.assign(t, {
          trade_state: 'SUCCESS',
          trade_type: 'JSAPI',
          bank_type: 'OTHERS',
          transaction_id: `4200${Date.now()}${randomInt(100_000, 999_999)}`,
          success_time: rfc3339Beijing(clock.now()),
          amount: { ...t.amount, payer_total: t.amount?.total },
        });
      }
      return signedNotify('TRANSACTION.SUCCESS', 'transaction', '支付成功', t);
    },
    async createTransferBill(r) {
      let bill = bills.get(r.outBillNo);
      if (!bill) {
        bill = {
          mch_id: mchid,
          out_bill_no: r.outBillNo,
          transfer_bill_no: `1330${Date.now()}${randomInt(100_000, 999_999)}`,
          state: 'WAIT_USER_CONFIRM',
          package_info: `dev_pkg_${randomBytes(12).toString('hex')}`,
          transfer_amount: r.amount,
          openid: r.openid,
          create_time: rfc3339Beijing(clock.now()),
        };
        bills.set(r.outBillNo, bill);
      }
      return { ...bill };
    },
    async queryTransferBill(outBillNo) {
      const bill = bills.get(outBillNo);
      return bill ? { ...bill } : undefined;
    },
    async cancelTransferBill(outBillNo) {
      const bill = bills.get(outBillNo);
      if (!bill) throw transferRefused('NOT_FOUND', '转账单不存在');
      if (!FINAL_TRANSFER_STATES.has(bill.state)) finishBill(bill, 'CANCELLED');
      return { ...bill };
    },
    transferNotify(outBillNo, result) {
      const bill = bills.get(outBillNo);
      if (!bill) throw new AppError('NOT_FOUND', 404, '转账单不存在');
      if (!FINAL_TRANSFER_STATES.has(bill.state)) finishBill(bill, result, result === 'FAIL' ? 'DEV_FAIL' : undefined);
      const { package_info: _package, ...finished } = bill;
      return signedNotify('MCHTRANSFER.BILL.FINISHED', 'mch_payment', '商家转账单据终态通知', finished);
    },
  };
}
