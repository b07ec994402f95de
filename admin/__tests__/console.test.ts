/**
 * Browser tests of the ops console: Debian's Chromium driven by playwright-core against the real
 * API (real server, real database, Socket.IO) serving the built console at /admin.
 * UPDATE_SCREENSHOTS=1 writes the screenshots shown in README to docs/screenshots/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, consoleIsStale } from '../../scripts/build-admin';
import { applyAs, createTestApp, login, loginAsElectrician, type Session, type TestApp } from '../../api/test/harness';
import { completedOrder } from '../../api/src/modules/payments/__tests__/payment-helpers';
import { placeOrder } from '../../api/src/modules/orders/__tests__/order-helpers';
import { loginAsStaff, STAFF_PASSWORD, type StaffSession } from '../../api/src/modules/staff/__tests__/staff-helpers';
import { balanceOf, createItem, inventoryWorld, requestParts } from '../../api/src/modules/inventory/__tests__/inventory-helpers';
import {
  COMPANY,
  invoiceWorld,
  paidOrder,
  pdf,
  PERSONAL,
  requestInvoice,
} from '../../api/src/modules/invoices/__tests__/invoice-helpers';
import { electricianWithWallet, wallet, withdraw } from '../../api/src/modules/payouts/__tests__/payout-helpers';
import type { RunningServer } from '../../api/src/server';
import { start } from '../../api/src/server';

const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.resolve(__dirname, '../../docs/screenshots')
    : fs.mkdtempSync(path.join(os.tmpdir(), 'console-shots-'));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let t: TestApp;
let server: RunningServer;
let browser: Browser;
let base: string;
/** Uncaught errors in the pages: none is expected. */
const errors: string[] = [];

beforeAll(async () => {
  if (consoleIsStale()) await buildConsole({ quiet: true });
  // Shares settle when a test runs settlement (no delay), and withdrawals from ¥50 wait for finance.
  t = await createTestApp({ env: { SETTLEMENT_DELAY_DAYS: '0', WITHDRAW_REVIEW_FEN: '5000' } });
  server = await start(t.c, { port: 0, host: '127.0.0.1', jobs: false });
  base = `${server.url}/admin`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 240_000);

afterAll(async () => {
  expect(errors).toEqual([]);
  await browser?.close();
  await server?.stop(1000);
  await t?.close().catch(() => undefined);
});

/** A fresh browser profile signed in through the login page as `s`. */
async function signIn(s: { username: string }, password = STAFF_PASSWORD): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => errors.push(`${s.username}: ${err.message}`));
  await page.goto(`${base}/login`);
  await page.locator(field('username')).fill(s.username);
  await page.locator(field('password')).fill(password);
  await page.locator('[data-testid=login]').click();
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
  await page.locator('[data-testid=live-status]', { hasText: '实时连接' }).waitFor();
  return page;
}

/** The input of an Element Plus field: the test id lands on the input itself or on its wrapper. */
const field = (id: string) =>
  `input[data-testid=${id}], textarea[data-testid=${id}], [data-testid=${id}] input, [data-testid=${id}] textarea`;

async function shot(page: Page, name: string) {
  // Let charts and transitions settle before the picture.
  await page.waitForTimeout(1200);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function open(page: Page, menu: string) {
  await page.locator(`[data-testid=menu-${menu}]`).click();
  await page.locator(`[data-testid=${menu}]`).waitFor();
}

/** A paid order with a complaint opened by its customer. */
async function complainedOrder(name: string) {
  const o = await completedOrder(t, name);
  const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
  expect((await t.http.post(`/api/dev/payments/${created.body.data.paymentNo}/succeed`).set(o.customer.auth)).status).toBe(200);
  const complaint = await t.http
    .post(`/api/orders/${o.orderId}/complaints`)
    .set(o.customer.auth)
    .send({ type: 'quality', content: '维修后插座仍然接触不良，要求退部分费用' });
  expect(complaint.status).toBe(201);
  return { ...o, complaintId: complaint.body.data.id as number };
}

describe('ops console in a browser', { timeout: 120_000 }, () => {
  it('when the console is opened, then it is served at /admin with its own CSP and a wrong password is refused on the page', async () => {
    const res = await t.http.get('/admin/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div id="app"></div>');
    expect(res.headers['content-security-policy']).toContain("connect-src 'self' ws: wss:");
    // Deep links fall back to the app; the API keeps helmet's strict default.
    expect((await t.http.get('/admin/orders')).text).toContain('<div id="app"></div>');
    expect((await t.http.get('/healthz')).headers['content-security-policy']).not.toContain('ws:');

    const agent = await loginAsStaff(t, 'agent', 'agent-wrong');
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/orders`);
    await page.waitForURL(/\/admin\/login/);
    await page.locator(field('username')).fill(agent.username);
    await page.locator(field('password')).fill('not-the-password');
    await page.locator('[data-testid=login]').click();
    await page.locator('[data-testid=login-error]', { hasText: '用户名或密码错误' }).waitFor();
    await shot(page, 'login');
    await context.close();
  });

  it('when an ops manager verifies an applicant and assigns an order, then the row turns to 已到达 live when the electrician arrives', async () => {
    const ops = await loginAsStaff(t, 'ops_manager', 'ops-wang');
    const page = await signIn(ops);
    await page.locator('[data-testid=dashboard]').waitFor();

    // --- verification queue
    const applicant = await applyAs(t, 'browser-applicant');
    expect(applicant.res.status).toBe(201);
    await open(page, 'electricians');
    await page.locator(`[data-testid=approve-${applicant.id}]`).click();
    // Approved, it leaves the queue; the list of all electricians shows it certified.
    await page.locator(`[data-testid=approve-${applicant.id}]`).waitFor({ state: 'detached' });
    await page.locator('.el-radio-button', { hasText: '全部电工' }).click();
    await page.locator(`[data-testid=verification-${applicant.id}]`, { hasText: '已认证' }).waitFor();
    expect((await t.db('electricians').where({ id: applicant.id }).first()).verification_status).toBe('approved');
    const ready = await t.http
      .patch('/api/electricians/me')
      .set(applicant.s.auth)
      .send({ workStatus: 'available', latitude: 30.2605, longitude: 120.1312 });
    expect(ready.status).toBe(200);

    // --- order board: assign from the candidates (nearest first)
    const customer = await login(t, 'browser-customer');
    const order = await placeOrder(t, customer, { urgentType: 'normal' });
    await open(page, 'orders');
    await page.locator(`[data-testid=status-${order.id}]`, { hasText: '待接单' }).waitFor();
    await page.locator(`[data-testid=open-${order.id}]`).click();
    await page.locator('[data-testid=order-detail]').waitFor();
    await page.locator('[data-testid=assign]').click();
    await page.locator(`[data-testid=assign-to-${applicant.id}]`).click();
    await page.locator('[data-testid=detail-status]', { hasText: '已接单' }).waitFor();
    await shot(page, 'order-detail');
    await page.keyboard.press('Escape');
    await page.locator(`[data-testid=status-${order.id}]`, { hasText: '已接单' }).waitFor();

    // --- live: the electrician checks in through the API; the board changes without a reload
    const arrived = await t.http
      .post(`/api/orders/${order.id}/arrive`)
      .set(applicant.s.auth)
      .send({ latitude: 30.2606, longitude: 120.1313 });
    expect(arrived.status).toBe(200);
    await page.locator(`[data-testid=status-${order.id}]`, { hasText: '已到达' }).waitFor({ timeout: 10_000 });
    await shot(page, 'orders');

    await page.context().close();
  });

  it('when an agent resolves a complaint with a partial refund, then finance sees the refund; the agent has no refund button and the API refuses it', async () => {
    const o = await complainedOrder('browser-complaint');
    const agent = await loginAsStaff(t, 'agent', 'agent-li');
    const page = await signIn(agent);

    await open(page, 'complaints');
    await page.locator(`[data-testid=complaint-${o.complaintId}]`).click();
    await page.locator('[data-testid=complaint-detail]').waitFor();
    await page.locator(field('reply-text')).fill('您好，已安排核实，给您带来不便非常抱歉。');
    await page.locator('[data-testid=reply]').click();
    await page.locator('[data-testid=complaint-detail]', { hasText: '客服回复' }).waitFor();
    await page.locator('[data-testid=resolve]').click();
    await page.locator('[data-testid=outcome-refund]').click();
    await page.locator(field('refund-amount')).fill('20.00');
    await page.locator(field('resolve-note')).fill('协商一致，退还部分费用 20 元');
    await page.locator('[data-testid=confirm-resolve]').click();
    await page.locator(`[data-testid=complaint-status-${o.complaintId}]`, { hasText: '已解决' }).waitFor();
    await shot(page, 'complaints');
    const complaint = await t.db('complaints').where({ id: o.complaintId }).first();
    expect(complaint).toMatchObject({ status: 'resolved', outcome: 'refund', refund_amount: 2000 });

    // The agent sees the paid order, but no refund button; the API refuses the call anyway.
    await page.keyboard.press('Escape');
    await open(page, 'orders');
    await page.locator(`[data-testid=open-${o.orderId}]`).click();
    await page.locator('[data-testid=order-payments]', { hasText: '¥' }).waitFor();
    expect(await page.locator('[data-testid=refund]').count()).toBe(0);
    expect(await page.locator('[data-testid=menu-finance]').count()).toBe(0);
    const refused = await t.http
      .post(`/api/admin/orders/${o.orderId}/refund`)
      .set(agent.auth)
      .send({ amount: 100, reason: '越权退款' });
    expect(refused.status).toBe(403);
    expect(await t.db('refunds').where({ order_id: o.orderId }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    await page.context().close();

    // Finance sees the refund the complaint made.
    const finance = await loginAsStaff(t, 'finance', 'finance-zhao');
    const fp = await signIn(finance);
    await open(fp, 'finance');
    await fp.locator('.el-tabs__item', { hasText: '退款记录' }).click();
    await fp.locator('[data-testid=refunds-table]', { hasText: '¥20.00' }).waitFor();
    await fp.locator('[data-testid=refunds-table]', { hasText: `投诉 #${o.complaintId}` }).waitFor();
    await shot(fp, 'finance');
    await fp.context().close();
  });

  it('when staff actions failed or were left pending, then the audit view tags each outcome and filters by it', async () => {
    const admin = await loginAsStaff(t, 'admin', 'admin-audit');
    const refused = await t.http.post('/api/admin/orders/999999/cancel').set(admin.auth).send({ reason: '测试取消' });
    expect(refused.status).toBe(404);
    const failed = await t.db('audit_logs').where({ actor_id: admin.userId, action: 'orders.cancel' }).first();
    expect(failed).toMatchObject({ outcome: 'failed', status_code: 404, error_code: 'NOT_FOUND' });
    // What a process killed during an action leaves behind: the write-ahead row, still pending.
    const [pendingId] = await t.db('audit_logs').insert({
      actor_id: admin.userId,
      actor_role: 'admin',
      action: 'refunds.create',
      method: 'POST',
      route: '/api/admin/orders/:id/refund',
      target_type: 'orders',
      target_id: '424242',
      details: JSON.stringify({ amount: 100, reason: '进程中断' }),
      outcome: 'pending',
      created_at: new Date(),
    });

    const page = await signIn(admin);
    await open(page, 'audit');
    const table = page.locator('[data-testid=audit-table]');
    await page.locator(`[data-testid=audit-outcome-${failed.id}]`, { hasText: '失败' }).waitFor();
    await table.locator('.el-table__row', { hasText: '404 NOT_FOUND' }).waitFor();
    await page.locator(`[data-testid=audit-outcome-${pendingId}]`, { hasText: '未知' }).waitFor();
    await table.locator('.el-table__row', { hasText: '请核对操作对象' }).first().waitFor();

    await page.locator('[data-testid=audit-outcome-filter]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '未知' }).click();
    await page.locator(`[data-testid=audit-outcome-${failed.id}]`).waitFor({ state: 'detached' });
    await page.locator(`[data-testid=audit-outcome-${pendingId}]`).waitFor();
    const tags = await table.locator('[data-testid^=audit-outcome-]').allInnerTexts();
    expect(tags.length).toBeGreaterThan(0);
    expect(tags.every((tag) => tag.trim() === '未知')).toBe(true);
    await page.context().close();
  });

  it('when the storekeeper stocks a part in, approves and issues an electrician’s request, then stock, ledger and queue follow, and the part shows as low', async () => {
    const { keeper, warehouse, electrician, orderId } = await inventoryWorld(t, 'browser-parts');
    const part = await createItem(t, keeper, {
      code: 'M-RCD-BROWSER',
      name: '漏电保护器 2P 40A',
      standardPrice: 12000,
      maxPrice: 18000,
      safetyStock: 3,
    });
    const page = await signIn(keeper);

    // Stock in through the dialog: 4 units.
    await open(page, 'stock');
    await page.locator('[data-testid=stock-in]').click();
    await page.locator('[data-testid=move-item]').click();
    await page.locator('.el-select-dropdown__item', { hasText: '漏电保护器 2P 40A' }).click();
    await page.locator('[data-testid=move-quantity] input').fill('4');
    await page.locator(field('move-note')).fill('采购单 CG-1024');
    await page.locator('[data-testid=move-save]').click();
    const row = page.locator('[data-testid=stock-table] .el-table__row', { hasText: '漏电保护器 2P 40A' });
    await row.filter({ hasText: '4 个' }).waitFor();
    expect(await balanceOf(t, warehouse.id, part.id)).toEqual({ onHand: 4, reserved: 0 });

    // The electrician asks for 2; the storekeeper approves, then issues them.
    const asked = await requestParts(t, electrician, orderId, {
      warehouseId: warehouse.id,
      items: [{ catalogItemId: part.id, quantity: 2 }],
      note: '配电箱漏保跳闸，需更换',
    });
    expect(asked.status).toBe(201);
    await open(page, 'parts-requests');
    const request = page.locator('[data-testid=parts-table] .el-table__row', { hasText: '漏电保护器 2P 40A × 2' });
    await request.locator('[data-testid=approve]').click();
    await request.waitFor({ state: 'detached' });
    expect(await balanceOf(t, warehouse.id, part.id)).toEqual({ onHand: 4, reserved: 2 });
    await page.locator('[data-testid=parts-status] label', { hasText: '待领取' }).click();
    await request.locator('[data-testid=issue]').click();
    await request.waitFor({ state: 'detached' });
    expect(await balanceOf(t, warehouse.id, part.id)).toEqual({ onHand: 2, reserved: 0 });
    await page.locator('[data-testid=parts-status] label', { hasText: '已发放' }).click();
    await request.locator('.el-tag', { hasText: '已发放' }).waitFor();

    // 2 left against a safety stock of 3: low, and in the low-only view; the ledger tells the story.
    await open(page, 'stock');
    await page.locator('[data-testid=low-only]').click();
    await row.locator('.el-tag', { hasText: '低库存' }).waitFor();
    await row.getByText('流水').click();
    const ledger = page.locator('[data-testid=ledger-table] .el-table__row');
    await ledger.filter({ hasText: '发放' }).waitFor();
    expect(await ledger.allInnerTexts()).toHaveLength(3);
    for (const type of ['入库', '预留', '发放']) await ledger.filter({ hasText: type }).first().waitFor();
    await shot(page, 'stock');

    await open(page, 'catalog');
    await page.locator('[data-testid=catalog-table] .el-table__row', { hasText: 'M-RCD-BROWSER' }).waitFor();

    // The dashboard counts the low part.
    await open(page, 'dashboard');
    await page.locator('[data-testid=low-stock-count]', { hasText: '1' }).waitFor();
    await shot(page, 'dashboard-inventory');

    // The electrician quotes the part from the price list above its standard price: the order's quote says so.
    expect(
      (await t.http.post(`/api/orders/${orderId}/arrive`).set(electrician.auth).send({ latitude: 30.259, longitude: 120.13 }))
        .status,
    ).toBe(200);
    const quoted = await t.http
      .post(`/api/orders/${orderId}/quote`)
      .set(electrician.auth)
      .send({ items: [{ catalogItemId: part.id, quantity: 1, unitPrice: 13000 }], labourFee: 6000 });
    expect(quoted.status, JSON.stringify(quoted.body)).toBe(200);
    await open(page, 'orders');
    await page.locator(`[data-testid=open-${orderId}]`).click();
    await page.locator('[data-testid=price-flag]', { hasText: '高于标准价 ¥120.00' }).waitFor();
    await page.context().close();
  });

  it('when finance issues one invoice with its PDF and rejects another, then each customer’s request follows and the queue empties', async () => {
    const { finance, customer, orderId } = await invoiceWorld(t, 'browser-invoice');
    const asked = await requestInvoice(t, customer, orderId, COMPANY);
    expect(asked.status).toBe(201);
    const other = await paidOrder(t, 'browser-invoice-2');
    const second = await requestInvoice(t, other.customer, other.orderId, PERSONAL);
    expect(second.status).toBe(201);
    const page = await signIn(finance);

    await open(page, 'invoices');
    const row = page.locator('[data-testid=invoices-table] .el-table__row', { hasText: COMPANY.title });
    await row.locator('[data-testid=issue]').click();
    await page.locator(field('invoice-no')).fill('24332000000087654321');
    await page
      .locator('[data-testid=invoice-file]')
      .setInputFiles({ name: '发票.pdf', mimeType: 'application/pdf', buffer: pdf() });
    await page.locator('.el-dialog', { hasText: '发票.pdf' }).waitFor();
    await page.locator('[data-testid=issue-save]').click();
    await row.waitFor({ state: 'detached' });
    const issued = await t.db('invoices').where({ id: asked.body.data.id }).first();
    expect(issued).toMatchObject({ status: 'issued', invoice_no: '24332000000087654321' });

    const personal = page.locator('[data-testid=invoices-table] .el-table__row', { hasText: PERSONAL.title });
    await personal.locator('[data-testid=reject]').click();
    await page.locator('.el-message-box input').fill('请填写与身份证一致的姓名');
    await page.locator('.el-message-box .el-button--primary').click();
    await personal.waitFor({ state: 'detached' });
    expect(await t.db('invoices').where({ id: second.body.data.id }).first()).toMatchObject({
      status: 'rejected',
      reject_reason: '请填写与身份证一致的姓名',
    });
    await page.locator('[data-testid=invoice-status] label', { hasText: '全部' }).click();
    await page.locator('[data-testid=invoices-table] .el-table__row', { hasText: '24332000000087654321' }).waitFor();
    await shot(page, 'invoices');
    await page.context().close();
  });

  it('when a customer asks what no article answers and then for a person, an agent writes the article from the question and picks the conversation up', async () => {
    const agent: StaffSession = await loginAsStaff(t, 'agent', 'agent-browser-faq');
    const customer: Session = await login(t, 'browser-faq');
    const conversation = await t.http.post('/api/chat/customer-service').set(customer.auth);
    const question = '厨房水管漏水了你们管吗';
    const asked = await t.http.post('/api/chat/customer-service/ask').set(customer.auth).send({ question });
    expect(asked.status).toBe(200);
    expect(asked.body.data.suggestHuman, JSON.stringify(asked.body.data.answers)).toBe(true);
    expect((await t.http.post('/api/chat/customer-service/escalate').set(customer.auth).send({})).status).toBe(200);
    const page = await signIn(agent);

    // The question nobody answered: an article is written from it, and it leaves the list.
    await open(page, 'faq');
    await page.locator('[data-testid=faq-table] .el-table__row').first().waitFor();
    await shot(page, 'faq');
    await page.getByRole('tab', { name: /未解决的问题/ }).click();
    const collected = page.locator('[data-testid=unanswered-table] .el-table__row', { hasText: question });
    await collected.locator('[data-testid=answer-it]').click();
    await page
      .locator(field('faq-form-answer'))
      .fill('平台只做家庭电路和电器维修，水管漏水请联系物业或专业水电工；如漏水影响到插座、电线，请先断电再下单。');
    await page.locator('[data-testid=faq-form-keywords] input').fill('水管');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=faq-save]').click();
    await collected.waitFor({ state: 'detached' });
    const article = await t.db('faq_articles').where({ question }).first();
    expect(article).toBeTruthy();
    // The bot answers the next customer with it.
    const next: Session = await login(t, 'browser-faq-2');
    await t.http.post('/api/chat/customer-service').set(next.auth);
    const again = await t.http.post('/api/chat/customer-service/ask').set(next.auth).send({ question: '水管漏水可以修吗' });
    expect(again.body.data.answers[0].faqId).toBe(article.id);

    // The queue: the customer who asked for a person; 接待 names the agent.
    await open(page, 'chat');
    await page.locator('[data-testid=conversation-filter] label', { hasText: '待接待' }).click();
    await page.locator(`[data-testid=conversation-${conversation.body.data.id}]`).click();
    await page.locator('[data-testid=messages]', { hasText: question }).waitFor();
    await page.locator('[data-testid=messages]', { hasText: '智能客服' }).waitFor();
    await page.locator('[data-testid=claim]').click();
    await page.locator('[data-testid=conversation-status]', { hasText: '人工中' }).waitFor();
    const row = await t.db('conversations').where({ id: conversation.body.data.id }).first();
    expect(row).toMatchObject({ status: 'with_agent', assignee_id: agent.userId });
    await page.locator('[data-testid=release]').waitFor();
    await page.context().close();
  });

  it('when finance approves one withdrawal and rejects another, then the queue, the electricians’ wallets and the finance report follow', async () => {
    const finance: StaffSession = await loginAsStaff(t, 'finance', 'finance-browser-payouts');
    const first = await electricianWithWallet(t, 'browser-payout-1');
    const second = await electricianWithWallet(t, 'browser-payout-2');
    const big = await withdraw(t, first.electrician, 6000);
    expect(big.body.data.status).toBe('reviewing');
    const other = await withdraw(t, second.electrician, 5500);
    expect(other.body.data.status).toBe('reviewing');
    const page = await signIn(finance);

    await open(page, 'withdrawals');
    const row = page.locator('[data-testid=withdrawals-table] .el-table__row', { hasText: big.body.data.withdrawalNo });
    await row.locator('[data-testid=approve]').click();
    await row.waitFor({ state: 'detached' });
    expect(await t.db('withdrawals').where({ withdrawal_no: big.body.data.withdrawalNo }).first()).toMatchObject({
      status: 'wait_user_confirm',
    });
    const rejected = page.locator('[data-testid=withdrawals-table] .el-table__row', { hasText: other.body.data.withdrawalNo });
    await rejected.locator('[data-testid=reject]').click();
    await page.locator('.el-message-box input').fill('收款实名与电工认证信息不一致');
    await page.locator('.el-message-box .el-button--primary').click();
    await rejected.waitFor({ state: 'detached' });
    expect((await wallet(t, second.electrician)).withdrawable).toBe(7200);
    await page.locator('[data-testid=withdrawal-status] label', { hasText: '全部' }).click();
    await page.locator('[data-testid=withdrawals-table] .el-table__row', { hasText: '收款实名与电工认证信息不一致' }).waitFor();
    await shot(page, 'withdrawals');

    // The electrician confirms the approved one (dev pay); the finance report counts both outcomes.
    const confirmed = await t.http
      .post(`/api/dev/withdrawals/${big.body.data.withdrawalNo}/confirm`)
      .set(first.electrician.auth)
      .send({});
    expect(confirmed.status).toBe(200);
    await open(page, 'finance');
    await page.getByRole('tab', { name: '对账报表' }).click();
    const totals = page.locator('[data-testid=transfer-totals]');
    await totals.filter({ hasText: '¥60.00（1 笔）' }).waitFor();
    await totals.filter({ hasText: '¥55.00（1 笔）' }).waitFor();
    await page.context().close();
  });

  it('when an admin opens the remaining pages, then each renders its data', async () => {
    const admin: StaffSession = await loginAsStaff(t, 'admin', 'admin-chen');
    // Something on each page: a pending applicant, a service conversation, a review.
    await applyAs(t, 'browser-pending');
    const customer: Session = await login(t, 'browser-chat');
    const conversation = await t.http.post('/api/chat/customer-service').set(customer.auth);
    await t.http
      .post(`/api/chat/conversations/${conversation.body.data.id}/messages`)
      .set(customer.auth)
      .send({ type: 'text', content: '你好，我的工单什么时候有人接？' });
    const reviewed = await completedOrder(t, 'browser-review');
    const pay = await t.http.post('/api/payments').set(reviewed.customer.auth).send({ orderId: reviewed.orderId });
    await t.http.post(`/api/dev/payments/${pay.body.data.paymentNo}/succeed`).set(reviewed.customer.auth);
    await t.http
      .post(`/api/orders/${reviewed.orderId}/review`)
      .set(reviewed.customer.auth)
      .send({ serviceRating: 5, qualityRating: 4, speedRating: 5, content: '师傅很专业，准时到达' });
    await loginAsElectrician(t, 'browser-worker');

    const page = await signIn(admin);
    for (const name of ['electricians', 'reviews', 'staff', 'audit']) {
      await open(page, name);
      await page.locator(`[data-testid=${name}] .el-table__row`).first().waitFor();
      await shot(page, name);
    }
    await open(page, 'chat');
    await page.locator(`[data-testid=conversation-${conversation.body.data.id}]`).click();
    await page.locator('[data-testid=messages]', { hasText: '什么时候有人接' }).waitFor();
    await page.locator(field('chat-input')).fill('您好，正在为您安排附近的电工。');
    await page.locator('[data-testid=chat-send]').click();
    await page.locator('[data-testid=messages]', { hasText: '正在为您安排' }).waitFor();
    // The customer answers from the mini-program: the agent sees it live.
    await t.http
      .post(`/api/chat/conversations/${conversation.body.data.id}/messages`)
      .set(customer.auth)
      .send({ type: 'text', content: '好的，谢谢！' });
    await page.locator('[data-testid=messages]', { hasText: '好的，谢谢！' }).waitFor();
    await shot(page, 'chat');

    // By now the dashboard has a little of everything to show.
    await open(page, 'dashboard');
    await page.locator('[data-testid=dashboard] canvas').first().waitFor();
    await shot(page, 'dashboard');
    await page.context().close();
  });
});
