/**
 * A fake of the WeChat Pay v3 API on 127.0.0.1. It generates the merchant's and the platform's RSA
 * keys at start, verifies the merchant's request signatures (the SDK's Authorization header), signs
 * its answers with the platform key, and builds signed, encrypted notifies for tests to deliver.
 */
import { generateKeyPairSync, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptResource, nonceStr, rsaSign, rsaVerify, signatureMessage } from '../../src/integrations/wechatpay/crypto';
import { rfc3339Beijing } from '../../src/integrations/wechatpay/wechatpay';

export interface FakeTrade {
  appid: string;
  mchid: string;
  out_trade_no: string;
  description: string;
  notify_url: string;
  prepay_id: string;
  amount: number;
  openid: string;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED';
  transaction_id?: string;
  success_time?: string;
}

/** A merchant transfer bill (商家转账, 2025 API) as the fake keeps it. */
export interface FakeBill {
  appid: string;
  mch_id: string;
  out_bill_no: string;
  transfer_bill_no: string;
  transfer_scene_id: string;
  openid: string;
  transfer_amount: number;
  transfer_remark: string;
  notify_url: string;
  user_recv_perception: string;
  transfer_scene_report_infos: { info_type: string; info_content: string }[];
  package_info: string;
  state: 'ACCEPTED' | 'WAIT_USER_CONFIRM' | 'TRANSFERING' | 'SUCCESS' | 'FAIL' | 'CANCELING' | 'CANCELLED';
  fail_reason?: string;
  create_time: string;
  update_time: string;
}

/** The request fields the fake reads (JSAPI prepay, refund, transfer bill). */
interface RequestBody {
  out_bill_no?: string;
  transfer_scene_id?: string;
  openid?: string;
  transfer_amount?: number;
  transfer_remark?: string;
  user_recv_perception?: string;
  transfer_scene_report_infos?: { info_type?: string; info_content?: string }[];
  appid?: string;
  mchid?: string;
  description?: string;
  out_trade_no?: string;
  out_refund_no?: string;
  notify_url?: string;
  reason?: string;
  payer?: { openid?: string };
  amount?: { total?: number; refund?: number; currency?: string };
}

export interface FakeRefund {
  out_refund_no: string;
  out_trade_no: string;
  refund_id: string;
  amount: number;
  total: number;
  reason: string;
  notify_url: string;
  status: 'PROCESSING' | 'SUCCESS' | 'CLOSED';
}

export interface NotifyOptions {
  /** seconds added to the notify's timestamp */
  timestampOffset?: number;
  serial?: string;
  /** sign with this key instead of the platform's (a forgery) */
  signWith?: KeyObject;
  tamperCiphertext?: boolean;
  /** overrides of the decrypted transaction */
  transaction?: Record<string, unknown>;
}

export interface FakeWechatPay {
  url: string;
  mchid: string;
  serialNo: string;
  apiV3Key: string;
  platformSerial: string;
  merchantPrivateKeyPem: string;
  platformPublicKeyPem: string;
  trades: Map<string, FakeTrade>;
  refunds: Map<string, FakeRefund>;
  /** answer the next N refund requests with 500 SYSTEM_ERROR (before recording them) */
  failNextRefunds: number;
  bills: Map<string, FakeBill>;
  /** answer the next N transfer-bill creations with 500 SYSTEM_ERROR (before recording them) */
  failNextTransfers: number;
  /** refuse the next transfer-bill creation with this code (403, e.g. NOT_ENOUGH: the merchant's balance) */
  refuseNextTransfer?: string;
  /** record the next transfer bill but answer 500, as if the answer was lost on the way back */
  loseNextTransferAnswer: boolean;
  /** answer the next request 401 SIGN_ERROR whatever its signature (a merchant key WeChat Pay no longer trusts) */
  distrustNextRequest: boolean;
  /** the recipient confirms in WeChat: the bill becomes SUCCESS (no notify is sent) */
  confirmTransfer(outBillNo: string): FakeBill;
  /** the transfer fails (e.g. the recipient's account is restricted): the bill becomes FAIL (no notify is sent) */
  failTransfer(outBillNo: string, reason?: string): FakeBill;
  /** a MCHTRANSFER.BILL.FINISHED notify for the bill in its current state (`transaction` overrides fields) */
  transferNotify(outBillNo: string, options?: NotifyOptions): { headers: Record<string, string>; body: string };
  /** method and path of every request, and whether its signature verified */
  calls: { method: string; path: string; verified: boolean }[];
  /** the fake's time (response and notify timestamps); tests point it at their ManualClock */
  now: () => Date;
  /** the WXPAY_* environment of an app that uses this fake */
  env(notifyUrl?: string): Record<string, string>;
  /** the customer pays in WeChat: the trade becomes SUCCESS (no notify is sent) */
  pay(paymentNo: string): FakeTrade;
  /** a TRANSACTION.SUCCESS notify for the trade (paying it first if needed) */
  successNotify(paymentNo: string, options?: NotifyOptions): { headers: Record<string, string>; body: string };
  /** a REFUND.SUCCESS notify for a refund the fake accepted */
  refundNotify(outRefundNo: string, options?: NotifyOptions): { headers: Record<string, string>; body: string };
  close(): Promise<void>;
}

export async function startFakeWechatPay(): Promise<FakeWechatPay> {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const mchid = '1900012345';
  const serialNo = randomBytes(20).toString('hex').toUpperCase();
  const platformSerial = `PUB_KEY_ID_${randomBytes(12).toString('hex').toUpperCase()}`;
  const apiV3Key = randomBytes(16).toString('hex');
  const trades = new Map<string, FakeTrade>();
  const refunds = new Map<string, FakeRefund>();
  const bills = new Map<string, FakeBill>();
  const calls: FakeWechatPay['calls'] = [];
  let seq = 0;

  const signed = (body: string, now: Date, key: KeyObject = platform.privateKey) => {
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const nonce = nonceStr();
    return {
      'wechatpay-serial': platformSerial,
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': nonce,
      'wechatpay-signature': rsaSign(signatureMessage(timestamp, nonce, body), key),
    };
  };

  /** The merchant's request signature, as WeChat Pay checks it. */
  const verifyRequest = (method: string, path: string, body: string, authorization: string | undefined): boolean => {
    const m = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(authorization ?? '');
    if (!m?.[1]) return false;
    const fields = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (fields.mchid !== mchid || fields.serial_no !== serialNo || !fields.signature) return false;
    if (Math.abs(Date.now() / 1000 - Number(fields.timestamp)) > 300) return false;
    return rsaVerify(
      signatureMessage(method, path, fields.timestamp ?? '', fields.nonce_str ?? '', body),
      fields.signature,
      merchant.publicKey,
    );
  };

  const transactionOf = (t: FakeTrade) => ({
    appid: t.appid,
    mchid: t.mchid,
    out_trade_no: t.out_trade_no,
    trade_state: t.state,
    trade_state_desc: t.state === 'SUCCESS' ? '支付成功' : t.state === 'CLOSED' ? '订单已关闭' : '订单未支付',
    payer: { openid: t.openid },
    amount: {
      total: t.amount,
      currency: 'CNY',
      ...(t.state === 'SUCCESS' ? { payer_total: t.amount, payer_currency: 'CNY' } : {}),
    },
    ...(t.state === 'SUCCESS'
      ? { transaction_id: t.transaction_id, trade_type: 'JSAPI', bank_type: 'OTHERS', success_time: t.success_time }
      : {}),
  });

  const fake = {
    mchid,
    serialNo,
    apiV3Key,
    platformSerial,
    merchantPrivateKeyPem: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    platformPublicKeyPem: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    trades,
    refunds,
    failNextRefunds: 0,
    bills,
    failNextTransfers: 0,
    refuseNextTransfer: undefined as string | undefined,
    loseNextTransferAnswer: false,
    distrustNextRequest: false,
    calls,
    now: () => new Date(),
    pay(paymentNo: string) {
      const t = trades.get(paymentNo);
      if (!t) throw new Error(`no trade ${paymentNo}`);
      if (t.state === 'NOTPAY') {
        t.state = 'SUCCESS';
        t.transaction_id = `4200${String(++seq).padStart(6, '0')}${randomInt(1_000_000_000, 9_999_999_999)}`;
        t.success_time = rfc3339Beijing(fake.now());
      }
      return t;
    },
    successNotify(paymentNo: string, o: NotifyOptions = {}) {
      const t = fake.pay(paymentNo);
      return buildNotify('TRANSACTION.SUCCESS', 'transaction', { ...transactionOf(t), ...o.transaction }, o);
    },
    confirmTransfer(outBillNo: string) {
      const b = bills.get(outBillNo);
      if (!b) throw new Error(`no bill ${outBillNo}`);
      if (b.state === 'WAIT_USER_CONFIRM' || b.state === 'TRANSFERING')
        Object.assign(b, { state: 'SUCCESS', update_time: rfc3339Beijing(fake.now()) });
      return b;
    },
    failTransfer(outBillNo: string, reason = 'ACCOUNT_FROZEN') {
      const b = bills.get(outBillNo);
      if (!b) throw new Error(`no bill ${outBillNo}`);
      if (!['SUCCESS', 'FAIL', 'CANCELLED'].includes(b.state))
        Object.assign(b, { state: 'FAIL', fail_reason: reason, update_time: rfc3339Beijing(fake.now()) });
      return b;
    },
    transferNotify(outBillNo: string, o: NotifyOptions = {}) {
      const b = bills.get(outBillNo);
      if (!b) throw new Error(`no bill ${outBillNo}`);
      return buildNotify('MCHTRANSFER.BILL.FINISHED', 'mch_payment', { ...billOf(b), ...o.transaction }, o);
    },
    refundNotify(outRefundNo: string, o: NotifyOptions = {}) {
      const r = refunds.get(outRefundNo);
      if (!r) throw new Error(`no refund ${outRefundNo}`);
      r.status = o.transaction?.refund_status === 'CLOSED' ? 'CLOSED' : 'SUCCESS';
      const payload = {
        mchid,
        out_trade_no: r.out_trade_no,
        transaction_id: trades.get(r.out_trade_no)?.transaction_id,
        out_refund_no: r.out_refund_no,
        refund_id: r.refund_id,
        refund_status: 'SUCCESS',
        success_time: rfc3339Beijing(fake.now()),
        user_received_account: '支付用户零钱',
        amount: { total: r.total, refund: r.amount, payer_total: r.total, payer_refund: r.amount },
      };
      return buildNotify('REFUND.SUCCESS', 'refund', { ...payload, ...o.transaction }, o);
    },
  };

  /** A bill as the query and the notify show it (only the creation's answer carries the package). */
  const billOf = (b: FakeBill) => ({
    mch_id: b.mch_id,
    out_bill_no: b.out_bill_no,
    transfer_bill_no: b.transfer_bill_no,
    appid: b.appid,
    state: b.state,
    transfer_amount: b.transfer_amount,
    transfer_remark: b.transfer_remark,
    openid: b.openid,
    create_time: b.create_time,
    update_time: b.update_time,
    ...(b.fail_reason ? { fail_reason: b.fail_reason } : {}),
  });

  function buildNotify(eventType: string, originalType: string, plaintext: object, o: NotifyOptions) {
    const resource = encryptResource(JSON.stringify(plaintext), apiV3Key, originalType);
    if (o.tamperCiphertext) {
      const bytes = Buffer.from(resource.ciphertext, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      resource.ciphertext = bytes.toString('base64');
    }
    const body = JSON.stringify({
      id: randomBytes(8).toString('hex'),
      create_time: rfc3339Beijing(fake.now()),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary:
        eventType === 'REFUND.SUCCESS' ? '退款成功' : eventType.startsWith('MCHTRANSFER') ? '商家转账单据终态通知' : '支付成功',
      resource: { original_type: originalType, ...resource },
    });
    const at = new Date(fake.now().getTime() + (o.timestampOffset ?? 0) * 1000);
    const headers = signed(body, at, o.signWith);
    if (o.serial) headers['wechatpay-serial'] = o.serial;
    return { headers, body };
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const verified = verifyRequest(method, path, raw, req.headers.authorization) && !fake.distrustNextRequest;
    fake.distrustNextRequest = false;
    calls.push({ method, path, verified });
    const reply = (status: number, payload?: object) => {
      const body = payload === undefined ? '' : JSON.stringify(payload);
      res.writeHead(status, { 'content-type': 'application/json', ...signed(body, fake.now()) });
      res.end(body);
    };
    if (!verified) return reply(401, { code: 'SIGN_ERROR', message: '签名错误' });
    const body = (raw ? JSON.parse(raw) : {}) as RequestBody;
    const url = new URL(path, 'http://fake');

    if (method === 'POST' && url.pathname === '/v3/pay/transactions/jsapi') {
      const total = body.amount?.total;
      if (
        body.mchid !== mchid ||
        !body.appid ||
        !body.out_trade_no ||
        total === undefined ||
        !Number.isInteger(total) ||
        !body.payer?.openid ||
        !body.notify_url
      ) {
        return reply(400, { code: 'PARAM_ERROR', message: '参数错误' });
      }
      const existing = trades.get(body.out_trade_no);
      if (existing) {
        if (existing.amount !== total) return reply(400, { code: 'INVALID_REQUEST', message: '201 商户订单号重复' });
        if (existing.state !== 'NOTPAY') return reply(400, { code: 'ORDERPAID', message: '该订单已支付' });
        return reply(200, { prepay_id: existing.prepay_id });
      }
      const trade: FakeTrade = {
        appid: body.appid,
        mchid,
        out_trade_no: body.out_trade_no,
        description: body.description ?? '',
        notify_url: body.notify_url,
        prepay_id: `wx${randomBytes(14).toString('hex')}`,
        amount: total,
        openid: body.payer.openid,
        state: 'NOTPAY',
      };
      trades.set(trade.out_trade_no, trade);
      return reply(200, { prepay_id: trade.prepay_id });
    }

    const query = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(url.pathname);
    if (method === 'GET' && query?.[1]) {
      if (url.searchParams.get('mchid') !== mchid) return reply(400, { code: 'PARAM_ERROR', message: 'mchid 不匹配' });
      const t = trades.get(decodeURIComponent(query[1]));
      return t ? reply(200, transactionOf(t)) : reply(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    }

    const close = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(url.pathname);
    if (method === 'POST' && close?.[1]) {
      const t = trades.get(decodeURIComponent(close[1]));
      if (!t) return reply(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
      if (t.state === 'SUCCESS') return reply(400, { code: 'ORDERPAID', message: '订单已支付' });
      t.state = 'CLOSED';
      return reply(204);
    }

    if (method === 'POST' && url.pathname === '/v3/refund/domestic/refunds') {
      if (fake.failNextRefunds > 0) {
        fake.failNextRefunds -= 1;
        return reply(500, { code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后重试' });
      }
      const t = trades.get(body.out_trade_no ?? '');
      const refund = body.amount?.refund;
      if (!t || t.state !== 'SUCCESS') return reply(404, { code: 'RESOURCE_NOT_EXISTS', message: '订单不存在或未支付' });
      if (
        !body.out_refund_no ||
        refund === undefined ||
        !Number.isInteger(refund) ||
        refund <= 0 ||
        body.amount?.total !== t.amount
      ) {
        return reply(400, { code: 'PARAM_ERROR', message: '参数错误' });
      }
      const existing = refunds.get(body.out_refund_no);
      const answer = (r: FakeRefund) =>
        reply(200, {
          refund_id: r.refund_id,
          out_refund_no: r.out_refund_no,
          out_trade_no: r.out_trade_no,
          status: r.status,
          amount: { total: r.total, refund: r.amount },
        });
      if (existing) return answer(existing);
      const refunded = [...refunds.values()]
        .filter((r) => r.out_trade_no === t.out_trade_no && r.status !== 'CLOSED')
        .reduce((a, r) => a + r.amount, 0);
      if (refunded + refund > t.amount) return reply(403, { code: 'NOT_ENOUGH', message: '退款金额超过可退金额' });
      const r: FakeRefund = {
        out_refund_no: body.out_refund_no,
        out_trade_no: t.out_trade_no,
        refund_id: `50${String(++seq).padStart(6, '0')}${randomInt(1_000_000_000, 9_999_999_999)}`,
        amount: refund,
        total: t.amount,
        reason: body.reason ?? '',
        notify_url: body.notify_url ?? '',
        status: 'PROCESSING',
      };
      refunds.set(r.out_refund_no, r);
      return answer(r);
    }

    if (method === 'POST' && url.pathname === '/v3/fund-app/mch-transfer/transfer-bills') {
      if (fake.failNextTransfers > 0) {
        fake.failNextTransfers -= 1;
        return reply(500, { code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后重试' });
      }
      const amount = body.transfer_amount;
      const infos = body.transfer_scene_report_infos ?? [];
      const reported = (type: string) => infos.some((i) => i.info_type === type && !!i.info_content);
      if (
        !body.appid ||
        !body.out_bill_no ||
        !/^[0-9A-Za-z]{5,32}$/.test(body.out_bill_no) ||
        !body.transfer_scene_id ||
        !body.openid ||
        amount === undefined ||
        !Number.isInteger(amount) ||
        amount <= 0 ||
        !body.transfer_remark ||
        [...body.transfer_remark].length > 32 ||
        !body.notify_url ||
        !body.user_recv_perception ||
        // Scene 1005 (佣金报酬) must report the post and what the pay is for.
        (body.transfer_scene_id === '1005' && (!reported('岗位类型') || !reported('报酬说明')))
      ) {
        return reply(400, { code: 'PARAM_ERROR', message: '参数错误' });
      }
      if (fake.refuseNextTransfer) {
        const code = fake.refuseNextTransfer;
        fake.refuseNextTransfer = undefined;
        return reply(403, { code, message: '商户运营账户资金不足' });
      }
      const existing = bills.get(body.out_bill_no);
      const answer = (b: FakeBill) =>
        reply(200, {
          out_bill_no: b.out_bill_no,
          transfer_bill_no: b.transfer_bill_no,
          create_time: b.create_time,
          state: b.state,
          ...(b.state === 'WAIT_USER_CONFIRM' ? { package_info: b.package_info } : {}),
        });
      if (existing) {
        if (existing.transfer_amount !== amount || existing.openid !== body.openid)
          return reply(400, { code: 'INVALID_REQUEST', message: '商户单号重复且参数不一致' });
        return answer(existing);
      }
      const at = rfc3339Beijing(fake.now());
      const b: FakeBill = {
        appid: body.appid,
        mch_id: mchid,
        out_bill_no: body.out_bill_no,
        transfer_bill_no: `1330${String(++seq).padStart(6, '0')}${randomInt(1_000_000_000, 9_999_999_999)}`,
        transfer_scene_id: body.transfer_scene_id,
        openid: body.openid,
        transfer_amount: amount,
        transfer_remark: body.transfer_remark,
        notify_url: body.notify_url,
        user_recv_perception: body.user_recv_perception,
        transfer_scene_report_infos: infos as FakeBill['transfer_scene_report_infos'],
        package_info: `ABBQO+oYAAABAAAAAAB${randomBytes(12).toString('base64url')}`,
        state: 'WAIT_USER_CONFIRM',
        create_time: at,
        update_time: at,
      };
      bills.set(b.out_bill_no, b);
      if (fake.loseNextTransferAnswer) {
        fake.loseNextTransferAnswer = false;
        return reply(500, { code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后重试' });
      }
      return answer(b);
    }

    const billQuery = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)$/.exec(url.pathname);
    if (method === 'GET' && billQuery?.[1]) {
      const b = bills.get(decodeURIComponent(billQuery[1]));
      return b ? reply(200, billOf(b)) : reply(404, { code: 'NOT_FOUND', message: '记录不存在' });
    }

    const billCancel = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([^/]+)\/cancel$/.exec(url.pathname);
    if (method === 'POST' && billCancel?.[1]) {
      const b = bills.get(decodeURIComponent(billCancel[1]));
      if (!b) return reply(404, { code: 'NOT_FOUND', message: '记录不存在' });
      if (!['ACCEPTED', 'WAIT_USER_CONFIRM', 'CANCELING'].includes(b.state))
        return reply(400, { code: 'INVALID_REQUEST', message: '当前状态不支持撤销' });
      Object.assign(b, { state: 'CANCELLED', update_time: rfc3339Beijing(fake.now()) });
      return reply(200, {
        out_bill_no: b.out_bill_no,
        transfer_bill_no: b.transfer_bill_no,
        state: b.state,
        update_time: b.update_time,
      });
    }

    return reply(404, { code: 'NOT_FOUND', message: '接口不存在' });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The same object the handlers read, so a test can repoint `now`.
  return Object.assign(fake, {
    url,
    env: (notifyUrl = 'https://repair.example.com/api/payments/notify') => ({
      WXPAY_MCHID: mchid,
      WXPAY_SERIAL_NO: serialNo,
      WXPAY_PRIVATE_KEY: fake.merchantPrivateKeyPem,
      WXPAY_APIV3_KEY: apiV3Key,
      WXPAY_PLATFORM_CERT: fake.platformPublicKeyPem,
      WXPAY_PLATFORM_SERIAL: platformSerial,
      WXPAY_NOTIFY_URL: notifyUrl,
      WXPAY_API_BASE: url,
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
