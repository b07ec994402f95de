import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STARTER_ARTICLES } from '../../../../../seeds/07_faq';
import { runSeeds } from '../../../../../seeds';
import { createContainer } from '../../../container';
import { createLogger } from '../../../shared/logger';
import { count, createTestApp, login, loginAsElectrician, snapshot, type Session, type TestApp } from '../../../../test/harness';
import { loginAsStaff, type StaffSession } from '../../staff/__tests__/staff-helpers';

let t: TestApp;
let agent: StaffSession;
let finance: StaffSession;
let n = 0;
const name = (s: string) => `${s}-${++n}`;

beforeAll(async () => {
  t = await createTestApp();
  agent = await loginAsStaff(t, 'agent');
  finance = await loginAsStaff(t, 'finance');
});
afterAll(async () => {
  await t?.close();
});

const ask = (s: Session, question: unknown) => t.http.post('/api/chat/customer-service/ask').set(s.auth).send({ question });
const articleId = async (question: string) => Number((await t.db('faq_articles').where({ question }).first('id')).id);

describe('the knowledge base', () => {
  it('when a fresh database is migrated, then the starter articles are there, customers list them by category, and the seed adds none twice', async () => {
    await runSeeds(t.db, t.clock);
    expect(await count(t.db, 'faq_articles')).toBe(STARTER_ARTICLES.length);
    const customer = await login(t, name('browse'));

    const all = await t.http.get('/api/faq').set(customer.auth);
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(STARTER_ARTICLES.length);
    expect(all.body.data).toContainEqual({
      id: await articleId('上门费怎么算？'),
      category: 'fee',
      question: '上门费怎么算？',
      answer: expect.stringContaining('紧急抢修 50 元'),
    });

    const fees = await t.http.get('/api/faq').set(customer.auth).query({ category: 'fee' });
    expect((fees.body.data as { category: string }[]).every((a) => a.category === 'fee')).toBe(true);
    expect(fees.body.data).toHaveLength(STARTER_ARTICLES.filter(([c]) => c === 'fee').length);

    // A keyword is matched like a question: paraphrases find the article, best first.
    const keyword = await t.http.get('/api/faq').set(customer.auth).query({ keyword: '钱多久退回来' });
    expect(keyword.body.data[0].question).toBe('退款多久到账？');

    // Staff may read it as anyone signed in; a bad category is refused.
    expect((await t.http.get('/api/faq').set(finance.auth)).status).toBe(200);
    const bad = await t.http.get('/api/faq').set(customer.auth).query({ category: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toEqual(['query', 'category']);
    expect((await t.http.get('/api/faq')).status).toBe(401);
  });

  it('when an agent adds, changes, retires and deletes an article, then the bot answers with it at once and stops when it is retired; bad input and staff without faq.manage change nothing', async () => {
    const customer = await login(t, name('kb'));
    const body = {
      category: 'order',
      question: '可以上门安装充电桩吗？',
      answer: '可以。下单时选择"安装"类型，写明车位位置和电表情况，电工上门勘察后报价。',
      keywords: ['充电桩', '新能源', '电动车充电'],
    };

    const before = await snapshot(t.db, ['audit_logs']);
    const invalid = await t.http
      .post('/api/admin/faq')
      .set(agent.auth)
      .send({ ...body, category: 'cars', keywords: 'x' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: { path: string[] }) => d.path.join('.')).sort()).toEqual([
      'body.category',
      'body.keywords',
    ]);
    expect((await t.http.post('/api/admin/faq').set(finance.auth).send(body)).status).toBe(403);
    expect((await t.http.post('/api/admin/faq').set(customer.auth).send(body)).status).toBe(403);
    expect(await snapshot(t.db, ['audit_logs'])).toEqual(before);

    const created = await t.http.post('/api/admin/faq').set(agent.auth).send(body);
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({
      id: expect.any(Number),
      ...body,
      active: true,
      helpfulCount: 0,
      unhelpfulCount: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.data.id as number;

    const asked = await ask(customer, '我买了电动车，能来家里装个充电的桩子吗');
    expect(asked.status).toBe(200);
    expect(asked.body.data.answers[0]).toEqual({
      faqId: id,
      question: body.question,
      answer: body.answer,
      score: expect.any(Number),
    });

    // The same millisecond as the creation (the test clock stands still): the index still follows.
    const retired = await t.http.patch(`/api/admin/faq/${id}`).set(agent.auth).send({ active: false });
    expect(retired.status).toBe(200);
    expect(retired.body.data).toMatchObject({ id, active: false });
    expect((await ask(customer, '能来装充电桩吗')).body.data.answers.map((a: { faqId: number }) => a.faqId)).not.toContain(id);
    expect((await t.http.get('/api/faq').set(customer.auth)).body.data.map((a: { id: number }) => a.id)).not.toContain(id);
    const listed = await t.http.get('/api/admin/faq').set(agent.auth).query({ active: 'false' });
    expect(listed.body.data.map((a: { id: number }) => a.id)).toEqual([id]);

    expect((await t.http.patch(`/api/admin/faq/${id}`).set(agent.auth).send({})).status).toBe(400);
    expect((await t.http.patch('/api/admin/faq/999999').set(agent.auth).send({ active: true })).status).toBe(404);

    const removed = await t.http.delete(`/api/admin/faq/${id}`).set(agent.auth);
    expect(removed.status).toBe(200);
    expect(await count(t.db, 'faq_articles', { id })).toBe(0);
    expect((await t.http.delete(`/api/admin/faq/${id}`).set(agent.auth)).status).toBe(404);
  });

  it('when another instance changes the knowledge base, then this one answers from the new articles on its next question', async () => {
    // A second API instance on the same database, as behind a load balancer.
    const other = createContainer(t.config, { db: t.db, clock: t.clock, logger: createLogger('silent') });
    try {
      expect((await other.services.faq.match('阳台的灯想换成感应灯'))[0]?.question).not.toBe('可以安装感应灯吗？');
      const created = await t.http
        .post('/api/admin/faq')
        .set(agent.auth)
        .send({
          category: 'order',
          question: '可以安装感应灯吗？',
          answer: '可以，选择"照明"类型下单。',
          keywords: ['感应灯', '声控灯'],
        });
      expect(created.status).toBe(201);
      expect((await other.services.faq.match('阳台的灯想换成感应灯'))[0]?.question).toBe('可以安装感应灯吗？');
      await t.http.delete(`/api/admin/faq/${created.body.data.id}`).set(agent.auth);
      expect((await other.services.faq.match('阳台的灯想换成感应灯'))[0]?.question).not.toBe('可以安装感应灯吗？');
    } finally {
      await other.bus.drain();
      await other.broadcast.close();
    }
  });
});

describe('votes on answers', () => {
  it('when a user votes twice on an article, then one vote counts and the second changes it; others add their own', async () => {
    const id = await articleId('如何取消订单？');
    const [a, b] = [await login(t, name('vote')), await login(t, name('vote'))];

    const first = await t.http.post(`/api/faq/${id}/feedback`).set(a.auth).send({ helpful: true });
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({ faqId: id, helpful: true, helpfulCount: 1, unhelpfulCount: 0 });
    const again = await t.http.post(`/api/faq/${id}/feedback`).set(a.auth).send({ helpful: true });
    expect(again.body.data).toMatchObject({ helpfulCount: 1, unhelpfulCount: 0 });
    const changed = await t.http.post(`/api/faq/${id}/feedback`).set(a.auth).send({ helpful: false });
    expect(changed.body.data).toMatchObject({ helpful: false, helpfulCount: 0, unhelpfulCount: 1 });
    const other = await t.http.post(`/api/faq/${id}/feedback`).set(b.auth).send({ helpful: true });
    expect(other.body.data).toMatchObject({ helpfulCount: 1, unhelpfulCount: 1 });
    expect(await count(t.db, 'faq_feedback', { faq_id: id })).toBe(2);

    const admin = await t.http.get('/api/admin/faq').set(agent.auth).query({ keyword: '取消订单' });
    expect(admin.body.data.find((x: { id: number }) => x.id === id)).toMatchObject({ helpfulCount: 1, unhelpfulCount: 1 });
  });

  it('when votes race from many users and one user at once, then each user counts once', async () => {
    const id = await articleId('怎么开发票？');
    const users = await Promise.all([0, 1, 2, 3].map(() => login(t, name('race'))));
    const results = await Promise.all(
      users.flatMap((u, i) =>
        [0, 1, 2].map(() =>
          t.http
            .post(`/api/faq/${id}/feedback`)
            .set(u.auth)
            .send({ helpful: i % 2 === 0 }),
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(await count(t.db, 'faq_feedback', { faq_id: id })).toBe(4);
    const admin = await t.http.get('/api/admin/faq').set(agent.auth).query({ keyword: '发票' });
    expect(admin.body.data.find((x: { id: number }) => x.id === id)).toMatchObject({ helpfulCount: 2, unhelpfulCount: 2 });
  });

  it('when the vote is malformed, names no article, or comes from staff, then it is refused and nothing is counted', async () => {
    const id = await articleId('怎么注销账号？');
    const u = await login(t, name('badvote'));
    const bad = await t.http.post(`/api/faq/${id}/feedback`).set(u.auth).send({ helpful: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toEqual(['body', 'helpful']);
    expect((await t.http.post('/api/faq/999999/feedback').set(u.auth).send({ helpful: true })).status).toBe(404);
    expect((await t.http.post(`/api/faq/${id}/feedback`).set(agent.auth).send({ helpful: true })).status).toBe(403);
    expect(await count(t.db, 'faq_feedback', { faq_id: id })).toBe(0);
  });
});

describe('asking the bot', () => {
  it('when a customer asks in their own words, then the right article answers with a score, and the question and the bot reply are stored in their customer-service conversation', async () => {
    const customer = await login(t, name('ask'));
    const res = await ask(customer, '师傅过来一趟要收多少钱？');
    expect(res.status).toBe(200);
    const { answers, suggestHuman, message, questionMessage } = res.body.data;
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(answers.length).toBeLessThanOrEqual(3);
    expect(answers[0]).toMatchObject({ faqId: await articleId('上门费怎么算？'), question: '上门费怎么算？' });
    expect(answers[0].score).toBeGreaterThanOrEqual(20);
    expect(suggestHuman).toBe(false);
    expect(questionMessage).toMatchObject({
      senderId: customer.userId,
      senderRole: 'customer',
      type: 'text',
      content: '师傅过来一趟要收多少钱？',
    });
    expect(message).toMatchObject({
      senderId: null,
      senderRole: 'bot',
      type: 'text',
      meta: { faqIds: answers.map((a: { faqId: number }) => a.faqId), suggestHuman: false },
    });
    expect(message.content).toContain('上门费按故障类型收取');

    const conversation = (await t.http.post('/api/chat/customer-service').set(customer.auth)).body.data;
    expect(conversation).toMatchObject({ kind: 'service', status: 'bot', assigneeId: null, assigneeName: null });
    const history = await t.http.get(`/api/chat/conversations/${conversation.id}/messages`).set(customer.auth);
    expect(history.body.data.map((m: { id: number; senderRole: string }) => [m.id, m.senderRole])).toEqual([
      [message.id, 'bot'],
      [questionMessage.id, 'customer'],
    ]);
    expect(await count(t.db, 'faq_unanswered')).toBe(0);
  });

  it('when an electrician asks, then they are answered in their own customer-service conversation', async () => {
    const e = await loginAsElectrician(t, name('ask-e'));
    const res = await ask(e, '我挣的钱什么时候能取出来');
    expect(res.status).toBe(200);
    expect(res.body.data.answers[0].question).toBe('电工收入多久可以提现？多久到账？');
    expect(res.body.data.questionMessage.senderRole).toBe('customer');
  });

  it('when nothing answers a question, then the bot says so, suggests a person, and the question is collected for staff with its count, most asked first', async () => {
    const [a, b] = [await login(t, name('miss')), await login(t, name('miss'))];
    const res = await ask(a, '你们支持数字人民币吗');
    expect(res.status).toBe(200);
    expect(res.body.data.suggestHuman).toBe(true);
    expect(res.body.data.answers.every((x: { score: number }) => x.score < 20)).toBe(true);
    expect(res.body.data.message.meta.suggestHuman).toBe(true);
    expect(res.body.data.message.content).toContain('转人工');
    t.clock.advance(1000);
    await ask(b, '你们支持 数字人民币吗？');
    await ask(b, '今天天气怎么样');

    const list = await t.http.get('/api/admin/faq/unanswered').set(agent.auth);
    expect(list.status).toBe(200);
    expect(list.body.pagination).toEqual({ page: 1, limit: 10, total: 2 });
    expect(list.body.data).toEqual([
      {
        id: expect.any(Number),
        question: '你们支持 数字人民币吗？',
        count: 2,
        firstAskedAt: expect.any(String),
        lastAskedAt: expect.any(String),
      },
      {
        id: expect.any(Number),
        question: '今天天气怎么样',
        count: 1,
        firstAskedAt: expect.any(String),
        lastAskedAt: expect.any(String),
      },
    ]);
    expect(list.body.data[0].lastAskedAt > list.body.data[0].firstAskedAt).toBe(true);
    expect((await t.http.get('/api/admin/faq/unanswered').set(finance.auth)).status).toBe(403);

    const dismissed = await t.http.delete(`/api/admin/faq/unanswered/${list.body.data[1].id}`).set(agent.auth);
    expect(dismissed.status).toBe(200);
    expect((await t.http.get('/api/admin/faq/unanswered').set(agent.auth)).body.data).toHaveLength(1);
  });

  it('when the same unanswered question is asked by many at once, then it is one row counting every asking', async () => {
    const users = await Promise.all([0, 1, 2, 3, 4].map(() => login(t, name('burst'))));
    const results = await Promise.all(users.map((u) => ask(u, '有没有会员卡积分')));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(200));
    const rows = await t.db('faq_unanswered').where({ question: '有没有会员卡积分' });
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].ask_count)).toBe(5);
  });

  it('when an unanswered question carries a mobile number, then staff see it masked', async () => {
    const u = await login(t, name('phone'));
    await ask(u, '会员卡积分怎么兑换 13912345678');
    const rows = await t.db('faq_unanswered').where('question', 'like', '%积分怎么兑换%');
    expect(rows.map((r) => r.question)).toEqual(['会员卡积分怎么兑换 139****5678']);
  });

  it('when a customer asks for a person, then a person is suggested even with an answer', async () => {
    const u = await login(t, name('human'));
    const res = await ask(u, '退款多久到账，我要找人工客服');
    expect(res.body.data.answers[0].question).toBe('退款多久到账？');
    expect(res.body.data.suggestHuman).toBe(true);
  });

  it('when the question is empty or too long, or a staff member asks, then it is refused and nothing is stored', async () => {
    const u = await login(t, name('badask'));
    const before = await snapshot(t.db, ['audit_logs']);
    const empty = await ask(u, '   ');
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].path).toEqual(['body', 'question']);
    expect((await ask(u, '长'.repeat(501))).status).toBe(400);
    expect((await t.http.post('/api/chat/customer-service/ask').set(u.auth).send({})).status).toBe(400);
    expect((await ask(agent, '上门费多少')).status).toBe(403);
    expect(await snapshot(t.db, ['audit_logs'])).toEqual(before);
  });
});
