/**
 * Every (from-state, action, actor) triple of the order state machine, through the HTTP API.
 *
 * The expectations are transcribed from SPEC 3.2 here, independently of order-states.ts, so a
 * wrong transition table fails this file. Error codes follow the rules the service documents:
 * a caller who may not see the order gets 404, a role the action is not for gets 403 FORBIDDEN,
 * a role in the wrong state gets 409 INVALID_TRANSITION, grabbing an order an electrician holds is
 * 409 ORDER_TAKEN, and a caller who is not an approved electrician may not grab (403 NOT_ELIGIBLE,
 * whatever the order's state: the refusal tells them nothing about the order; staff are refused
 * by the route's staff access first, 403 FORBIDDEN).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../shared/clock';
import { createTestApp, login, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { placeOrder, snapshot, uploadImage } from './order-helpers';

type State = 'pending' | 'accepted' | 'arrived' | 'quoted' | 'in_progress' | 'completed' | 'cancelled' | 'expired';
type Role = 'customer' | 'electrician' | 'admin';
type ActorName = 'owner' | 'assignee' | 'other' | 'admin' | 'stranger';

const STATES: State[] = ['pending', 'accepted', 'arrived', 'quoted', 'in_progress', 'completed', 'cancelled', 'expired'];
const ACTORS: ActorName[] = ['owner', 'assignee', 'other', 'admin', 'stranger'];
const ACTIVE: State[] = ['accepted', 'arrived', 'quoted', 'in_progress'];

const ACTOR_TEXT: Record<ActorName, string> = {
  owner: 'the owner customer',
  assignee: 'the assigned electrician',
  other: 'another approved electrician',
  admin: 'an admin',
  stranger: 'an unrelated customer',
};

/**
 * How an endpoint finds out who the caller is:
 * - `hall`: grab-like; the owner may not, everyone else acts as an electrician and must be eligible;
 * - `party`: the caller is the owner, the assigned electrician or an admin; others may not see the order;
 * - `staff`: admin-only route.
 */
type Kind = 'hall' | 'party' | 'staff';

interface Endpoint {
  name: string;
  path: (id: number) => string;
  kind: Kind;
  event: string;
  to: State;
  /** SPEC 3.2: the states each role may perform this from. `electrician` is the assigned one, except for hall endpoints. */
  from: Partial<Record<Role, State[]>>;
}

const BEFORE_WORK: State[] = ['pending', 'accepted', 'arrived', 'quoted'];

// SPEC 3.2, row by row.
const ENDPOINTS: Endpoint[] = [
  {
    name: 'grab',
    path: (id) => `/api/orders/${id}/grab`,
    kind: 'hall',
    event: 'grab',
    to: 'accepted',
    from: { electrician: ['pending'] },
  },
  {
    name: 'dispatch/accept',
    path: (id) => `/api/orders/${id}/dispatch/accept`,
    kind: 'hall',
    event: 'dispatch_accept',
    to: 'accepted',
    from: { electrician: ['pending'] },
  },
  {
    name: 'arrive',
    path: (id) => `/api/orders/${id}/arrive`,
    kind: 'party',
    event: 'arrive',
    to: 'arrived',
    from: { electrician: ['accepted'] },
  },
  {
    name: 'release',
    path: (id) => `/api/orders/${id}/release`,
    kind: 'party',
    event: 'release',
    to: 'pending',
    from: { electrician: ['accepted', 'arrived'] },
  },
  {
    name: 'quote',
    path: (id) => `/api/orders/${id}/quote`,
    kind: 'party',
    event: 'quote',
    to: 'quoted',
    from: { electrician: ['arrived'] },
  },
  {
    name: 'quote/accept',
    path: (id) => `/api/orders/${id}/quote/accept`,
    kind: 'party',
    event: 'quote_accept',
    to: 'in_progress',
    from: { customer: ['quoted'] },
  },
  {
    name: 'quote/reject',
    path: (id) => `/api/orders/${id}/quote/reject`,
    kind: 'party',
    event: 'quote_reject',
    to: 'arrived',
    from: { customer: ['quoted'] },
  },
  {
    name: 'complete',
    path: (id) => `/api/orders/${id}/complete`,
    kind: 'party',
    event: 'complete',
    to: 'completed',
    from: { electrician: ['in_progress'] },
  },
  {
    name: 'cancel',
    path: (id) => `/api/orders/${id}/cancel`,
    kind: 'party',
    event: 'cancel',
    to: 'cancelled',
    from: { customer: BEFORE_WORK, admin: [...BEFORE_WORK, 'in_progress'] },
  },
  {
    name: 'admin assign',
    path: (id) => `/api/admin/orders/${id}/assign`,
    kind: 'staff',
    event: 'assign',
    to: 'accepted',
    from: { admin: ['pending'] },
  },
  {
    name: 'admin unassign',
    path: (id) => `/api/admin/orders/${id}/unassign`,
    kind: 'staff',
    event: 'unassign',
    to: 'pending',
    from: { admin: ['accepted', 'arrived'] },
  },
  {
    name: 'admin cancel',
    path: (id) => `/api/admin/orders/${id}/cancel`,
    kind: 'staff',
    event: 'cancel',
    to: 'cancelled',
    from: { admin: [...BEFORE_WORK, 'in_progress'] },
  },
];

type Outcome = { status: 200; to: State; event: string; role: Role } | { status: 403 | 404 | 409; code: string };

/** Whether an electrician is (still) recorded on an order built by `orderIn(state)`. */
const holdsElectrician = (state: State) => state !== 'pending' && state !== 'expired';

function expected(state: State, e: Endpoint, actor: ActorName): Outcome {
  const ok = (role: Role): Outcome => ({ status: 200, to: e.to, event: e.event, role });
  const fail = (status: 403 | 404 | 409, code: string): Outcome => ({ status, code });

  if (e.kind === 'staff') {
    if (actor !== 'admin') return fail(403, 'FORBIDDEN');
    if (e.from.admin!.includes(state)) return ok('admin');
    return fail(409, e.event === 'assign' && holdsElectrician(state) ? 'ORDER_TAKEN' : 'INVALID_TRANSITION');
  }

  if (e.kind === 'hall') {
    if (actor === 'owner') return fail(403, 'FORBIDDEN');
    // Grabbing has no staff meaning: the route's staff access refuses staff before anything else.
    if (actor === 'admin') return fail(403, 'FORBIDDEN');
    // Eligibility comes before the order's state, so a non-electrician learns nothing about it.
    if (actor === 'stranger') return fail(403, 'NOT_ELIGIBLE');
    if (state !== 'pending') {
      // Someone else holds it: "too slow"; the holder or an order nobody took: plain wrong state.
      return fail(409, actor !== 'assignee' && holdsElectrician(state) ? 'ORDER_TAKEN' : 'INVALID_TRANSITION');
    }
    // No dispatch offer was made to this electrician: there is nothing to accept.
    if (e.event === 'dispatch_accept') return fail(404, 'NOT_FOUND');
    return ok('electrician');
  }

  let role: Role;
  if (actor === 'owner') role = 'customer';
  else if (actor === 'assignee') role = 'electrician';
  else if (actor === 'admin') role = 'admin';
  // An approved electrician may see a pending order (the hall), so it is a refusal, not "no such order".
  else if (actor === 'other' && state === 'pending') return fail(403, 'FORBIDDEN');
  else return fail(404, 'NOT_FOUND');
  const allowed = e.from[role];
  if (!allowed) return fail(403, 'FORBIDDEN');
  if (!allowed.includes(state)) return fail(409, 'INVALID_TRANSITION');
  return ok(role);
}

const an = (state: State) => `${/^[aeiou]/.test(state) ? 'an' : 'a'} ${state}`;

const describeOutcome = (o: Outcome) =>
  o.status === 200 ? `200 and it is ${o.to} with one ${o.event} event` : `${o.status} ${o.code} and nothing changes`;

const HANGZHOU_SITE = { latitude: 30.2613, longitude: 120.1334 };
const QUOTE = { items: [{ name: '86 型五孔插座', quantity: 2, unitPrice: 1500 }], labourFee: 8000, note: '更换烧坏的插座' };
const REPAIR = '更换两个五孔插座，检查线路绝缘正常';

describe('the order state machine, every state × action × actor', () => {
  let t: TestApp;
  const names: Record<ActorName, string> = {
    owner: 'sm-owner',
    assignee: 'sm-assignee',
    other: 'sm-other',
    admin: 'admin',
    stranger: 'sm-stranger',
  };
  const sessions = {} as Record<ActorName, Session>;
  let assigneeElectricianId: number;
  let otherElectricianId: number;
  let loggedInAt = 0;
  /** Orders built by the current test, cancelled afterwards so electricians' slots do not run out. */
  const built: number[] = [];

  /** Access tokens last two hours of the (hand-moved) clock: log everyone in again well before that. */
  async function as(actor: ActorName): Promise<Session> {
    if (t.clock.now().getTime() - loggedInAt > 60 * MINUTE) {
      for (const a of ACTORS) sessions[a] = await login(t, names[a]);
      loggedInAt = t.clock.now().getTime();
    }
    return sessions[actor];
  }

  function ok(res: { status: number; body: unknown }, what: string) {
    if (res.status !== 200) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** A fresh order driven to `state` through the API (cancelled: by its owner after acceptance). */
  async function orderIn(state: State): Promise<number> {
    const { id } = await placeOrder(t, await as('owner'));
    built.push(id);
    const post = async (actor: ActorName, path: string, body: object = {}) =>
      ok(
        await t.http
          .post(`/api/orders/${id}/${path}`)
          .set((await as(actor)).auth)
          .send(body),
        `${path} of ${state}`,
      );
    if (state === 'pending') return id;
    if (state === 'expired') {
      t.clock.advance(t.config.business.orderPendingTtlMinutes * MINUTE + 1000);
      await t.c.services.orders.expireDue();
      return id;
    }
    await post('assignee', 'grab');
    if (state === 'accepted') return id;
    if (state === 'cancelled') {
      await post('owner', 'cancel', { reason: '自己修好了' });
      return id;
    }
    await post('assignee', 'arrive', HANGZHOU_SITE);
    if (state === 'arrived') return id;
    await post('assignee', 'quote', QUOTE);
    if (state === 'quoted') return id;
    await post('owner', 'quote/accept');
    if (state === 'in_progress') return id;
    const photo = await uploadImage(t, await as('assignee'), 'repair');
    await post('assignee', 'complete', { repairContent: REPAIR, repairImages: [photo] });
    return id;
  }

  /** A valid body for the endpoint, with anything the caller must own uploaded by the caller. */
  async function bodyFor(e: Endpoint, caller: Session): Promise<object> {
    switch (e.name) {
      case 'arrive':
        return HANGZHOU_SITE;
      case 'release':
        return { reason: '临时有急事去不了' };
      case 'quote':
        return QUOTE;
      case 'quote/reject':
        return { reason: '人工费太贵' };
      case 'complete':
        return { repairContent: REPAIR, repairImages: [await uploadImage(t, caller, 'repair')] };
      case 'cancel':
      case 'admin cancel':
        return { reason: '用户电话要求取消' };
      case 'admin assign':
        return { electricianId: assigneeElectricianId };
      case 'admin unassign':
        return { reason: '电工联系不上' };
      default:
        return {};
    }
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_ACTIVE_ORDERS: '50' } });
    assigneeElectricianId = (await loginAsElectrician(t, names.assignee)).electricianId;
    otherElectricianId = (await loginAsElectrician(t, names.other)).electricianId;
    await as('owner');
  }, 60_000);
  afterAll(() => t.close());

  afterEach(async () => {
    for (const id of built.splice(0)) {
      const row = await t.db('orders').where({ id }).first();
      if (ACTIVE.includes(row.status)) {
        ok(
          await t.http
            .post(`/api/admin/orders/${id}/cancel`)
            .set((await as('admin')).auth)
            .send({ reason: '测试结束释放名额' }),
          'cleanup cancel',
        );
      }
    }
  });

  const cases = STATES.flatMap((state) =>
    ENDPOINTS.flatMap((endpoint) =>
      ACTORS
        // Pending and expired orders were never accepted: nobody is assigned to them.
        .filter((actor) => actor !== 'assignee' || holdsElectrician(state))
        .map((actor) => ({ state, endpoint, actor, outcome: expected(state, endpoint, actor) })),
    ),
  );

  it('when the cases are generated, then every triple is there', () => {
    expect(cases).toHaveLength(STATES.length * ENDPOINTS.length * ACTORS.length - 2 * ENDPOINTS.length);
    expect(cases.filter((c) => c.outcome.status === 200)).toHaveLength(25);
  });

  describe.each(STATES)('%s orders', (state) => {
    const here = cases.filter((c) => c.state === state);
    const title = (c: (typeof here)[number]) =>
      `when ${ACTOR_TEXT[c.actor]} does ${c.endpoint.name} on ${an(state)} order, then ${describeOutcome(c.outcome)}`;
    it.each(here.map((c) => [title(c), c] as const))('%s', async (_title, c) => {
      const id = await orderIn(state);
      const caller = await as(c.actor);
      const body = await bodyFor(c.endpoint, caller);
      const before = await snapshot(t, id);
      expect(before.order.status).toBe(state);

      const res = await t.http.post(c.endpoint.path(id)).set(caller.auth).send(body);
      const after = await snapshot(t, id);

      if (c.outcome.status === 200) {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.data.status).toBe(c.outcome.to);
        expect(after.order.status).toBe(c.outcome.to);
        expect(after.order.version).toBe(before.order.version + 1);
        const added = after.events.slice(before.events.length);
        expect(after.events.slice(0, before.events.length)).toEqual(before.events);
        expect(added).toHaveLength(1);
        expect(added[0]).toMatchObject({
          action: c.outcome.event,
          from_status: state,
          to_status: c.outcome.to,
          actor_role: c.outcome.role,
          actor_id: caller.userId,
        });
      } else {
        expect(res.status, JSON.stringify(res.body)).toBe(c.outcome.status);
        expect(res.body.error.code).toBe(c.outcome.code);
        expect(after).toEqual(before);
      }
    });
  });

  describe('dispatch/accept with an open offer', () => {
    const BEIJING = { latitude: 39.9087, longitude: 116.3975 };
    let offered: Session & { electricianId: number };

    beforeAll(async () => {
      // Far from everyone else, emergency-available: the only candidate for urgent orders placed here.
      offered = await loginAsElectrician(t, 'sm-offered', { ...BEIJING, emergencyAvailable: true });
    });

    async function offeredOrder(): Promise<number> {
      const { id } = await placeOrder(t, await as('owner'), {
        urgentType: 'urgent',
        region: '北京市东城区',
        address: '东城区东长安街 1 号',
        ...BEIJING,
      });
      built.push(id);
      await t.c.bus.drain();
      const offers = await t.db('dispatch_offers').where({ order_id: id, status: 'offered' });
      expect(offers.map((o) => Number(o.electrician_id))).toEqual([offered.electricianId]);
      return id;
    }

    it('when the offered electrician accepts, then 200 and it is accepted with one dispatch_accept event', async () => {
      const id = await offeredOrder();
      const before = await snapshot(t, id);
      const res = await t.http.post(`/api/orders/${id}/dispatch/accept`).set(offered.auth);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const after = await snapshot(t, id);
      expect(after.order).toMatchObject({
        status: 'accepted',
        electrician_id: offered.electricianId,
        version: before.order.version + 1,
      });
      const added = after.events.slice(before.events.length);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({
        action: 'dispatch_accept',
        from_status: 'pending',
        to_status: 'accepted',
        actor_role: 'electrician',
        actor_id: offered.userId,
      });
      expect((await t.db('dispatch_offers').where({ order_id: id }).first()).status).toBe('accepted');
    });

    it.each(
      (
        [
          ['owner', 403, 'FORBIDDEN'],
          ['other', 404, 'NOT_FOUND'],
          ['admin', 403, 'FORBIDDEN'],
          ['stranger', 403, 'NOT_ELIGIBLE'],
        ] as const
      ).map(
        ([actor, status, code]) =>
          [
            `when ${ACTOR_TEXT[actor]}, who holds no offer, does dispatch/accept on a pending order offered to someone else, then ${status} ${code} and nothing changes`,
            actor,
            status,
            code,
          ] as const,
      ),
    )('%s', async (_title, actor, status, code) => {
      const id = await offeredOrder();
      const before = await snapshot(t, id);
      const offersBefore = await t.db('dispatch_offers').where({ order_id: id }).orderBy('id');
      const res = await t.http.post(`/api/orders/${id}/dispatch/accept`).set((await as(actor)).auth);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(await snapshot(t, id)).toEqual(before);
      expect(await t.db('dispatch_offers').where({ order_id: id }).orderBy('id')).toEqual(offersBefore);
    });
  });

  describe('expiry (the system actor)', () => {
    it.each(
      STATES.map(
        (state) =>
          [
            `when the TTL has passed and the expiry job runs, then ${an(state)} order ${state === 'pending' ? 'expires with one system expire event' : 'is unchanged'}`,
            state,
          ] as const,
      ),
    )('%s', async (_title, state) => {
      const id = await orderIn(state);
      const before = await snapshot(t, id);
      t.clock.advance(t.config.business.orderPendingTtlMinutes * MINUTE + 1000);
      await t.c.services.orders.expireDue();
      const after = await snapshot(t, id);
      if (state !== 'pending') {
        expect(after).toEqual(before);
        return;
      }
      expect(after.order).toMatchObject({ status: 'expired', version: before.order.version + 1 });
      const added = after.events.slice(before.events.length);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({
        action: 'expire',
        from_status: 'pending',
        to_status: 'expired',
        actor_role: 'system',
        actor_id: null,
      });
    });
  });

  it('when every case has run, then the electricians hold no slots from finished orders', async () => {
    const rows = await t.db('electricians').whereIn('id', [assigneeElectricianId, otherElectricianId]).select('active_orders');
    expect(rows.map((r) => Number(r.active_orders))).toEqual([0, 0]);
  });
});
