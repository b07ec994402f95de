// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { advanceOrder, dataOf, placeOrder } from '../../../../test/journey';
import { eventually, type LiveApi, type LiveWx } from '../../../../test/live';
import { NETWORK_FAILURE, settle, type FakeRequest } from '../../../../test/setup';
import { electricianPhone, openPage, useLiveBridge } from '../../__tests__/support';

/** The text of a page or of an element of it ('' when it is not there). */
const text = (el: { dom: { textContent: string | null } } | null | undefined) => el?.dom.textContent ?? '';

let api: LiveApi;
let bridge: LiveWx;
// Withdrawals from ¥50 wait for finance here, so one paid order covers both kinds.
useLiveBridge(
  (started, phones) => {
    api = started;
    bridge = phones;
  },
  { env: { WITHDRAW_REVIEW_FEN: '5000' } },
);

const WALLET = 'pages/electrician/wallet/wallet';
const DAY = 24 * 3600 * 1000;

/** An electrician whose share of one paid order has settled into the wallet; resolves with that share (fen). */
async function settledElectrician(name: string) {
  const customer = await api.login(`${name}-cust`);
  const order = await placeOrder(api, customer);
  const hired = await electricianPhone(api, bridge, name);
  await advanceOrder(api, order.id, hired, customer, 'paid');
  await api.advance(8 * DAY);
  await api.runJobs();
  // A week on, the session has expired: the electrician signs in again on the same phone.
  const e = { ...(await api.login(name)), electricianId: hired.electricianId };
  await bridge.device(name).signIn(e);
  const wallet = await api.call<{ available: number }>('GET', '/api/electricians/me/wallet', e.token);
  expect(wallet.status, JSON.stringify(wallet.body)).toBe(200);
  expect(wallet.body.data.available).toBeGreaterThan(5000);
  return { e, share: wallet.body.data.available };
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

describe('电工 · 我的钱包', () => {
  it('shows the settled share as withdrawable; a small withdrawal is confirmed and arrives, and the ledger shows both changes', async () => {
    const { e, share } = await settledElectrician('wallet-e1');
    const page = await openPage(WALLET);
    await eventually(() => expect(page.querySelector('.available')?.dom.textContent).toBe(yuan(share)));
    expect(text(page)).toContain('订单收入入账');
    expect(text(page)).toContain('还没有提现记录');

    // More than the balance is refused on the page, before anything is sent.
    page.instance.onAmountInput({ detail: { value: yuan(share + 100) } });
    const sent = bridge.requests.length;
    await page.instance.onWithdraw();
    expect(bridge.requests.length).toBe(sent);
    expect(text(page.querySelector('.form-error'))).toContain('可提现余额');

    // ¥20: no review; the dev pay sandbox stands in for WeChat's confirmation page.
    page.instance.onAmountInput({ detail: { value: '20' } });
    await page.instance.onWithdraw();
    await settle();
    const post = bridge.requests.find((r) => r.url === '/api/electricians/me/withdrawals' && r.method === 'POST')!;
    expect(post.header['Idempotency-Key']).toBeTruthy();
    await eventually(() => expect(text(page.querySelector('.withdrawal'))).toContain('已到账'));
    expect(bridge.toasts).toContain('已到账微信零钱');
    expect(page.querySelector('.available')?.dom.textContent).toBe(yuan(share - 2000));
    expect(page.querySelector('.withdrawn')?.dom.textContent).toBe('¥20.00');
    expect(text(page)).toContain('−¥20.00');

    const wallet = await api.call<{ available: number; withdrawn: number }>('GET', '/api/electricians/me/wallet', e.token);
    expect(wallet.body.data).toMatchObject({ available: share - 2000, withdrawn: 2000 });
  });

  it('a large withdrawal waits for review: the money shows as withdrawing and the record says so', async () => {
    const { share } = await settledElectrician('wallet-e2');
    const page = await openPage(WALLET);
    await eventually(() => expect(page.querySelector('.available')?.dom.textContent).toBe(yuan(share)));
    page.instance.onAll();
    expect(dataOf(page).amount).toBe(yuan(share));
    await page.instance.onWithdraw();
    await settle();
    await eventually(() => expect(text(page.querySelector('.withdrawal'))).toContain('平台审核中'));
    expect(page.querySelector('.available')?.dom.textContent).toBe('0.00');
    expect(page.querySelector('.withdrawing')?.dom.textContent).toBe(`¥${yuan(share)}`);
  });

  it('when the answer to a withdrawal is lost, trying again sends the same key and makes no second withdrawal', async () => {
    const { e } = await settledElectrician('wallet-e3');
    const page = await openPage(WALLET);
    await eventually(() => expect(page.querySelector('.available')).toBeTruthy());

    // The API takes the first attempt, but its answer never reaches the phone.
    const mark = bridge.requests.length;
    bridge.intercept = ((req: FakeRequest) => {
      if (req.url !== '/api/electricians/me/withdrawals' || req.method !== 'POST') return undefined;
      bridge.intercept = undefined;
      return fetch(api.url + req.url, {
        method: 'POST',
        headers: { ...req.header, 'content-type': 'application/json' },
        body: JSON.stringify(req.data),
      }).then(() => NETWORK_FAILURE);
    }) as never;
    page.instance.onAmountInput({ detail: { value: '10' } });
    await page.instance.onWithdraw();
    await settle();
    expect(text(page.querySelector('.form-error'))).toContain('不会重复提现');
    expect(dataOf(page).amount).toBe('10');

    await page.instance.onWithdraw();
    await settle();
    await eventually(() => expect(text(page.querySelector('.withdrawal'))).toContain('已到账'));
    const posts = bridge.requests.slice(mark).filter((r) => r.url === '/api/electricians/me/withdrawals' && r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1].header['Idempotency-Key']).toBe(posts[0].header['Idempotency-Key']);
    const mine = await api.call<unknown[]>('GET', '/api/electricians/me/withdrawals', e.token);
    expect(mine.body.data).toHaveLength(1);
  });
});
