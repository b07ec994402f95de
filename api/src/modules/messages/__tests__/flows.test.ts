/**
 * The message center fed by the real review and complaint flows (not by hand-published events):
 * the parties concerned each get exactly one notification per step, through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAsAdmin, type Session, type TestApp } from '../../../../test/harness';
import { openComplaint } from '../../complaints/__tests__/complaint-helpers';
import { paidOrder, review } from '../../reviews/__tests__/review-helpers';

describe('notifications from reviews and complaints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const inbox = async (s: Session, type?: string) => {
    await t.c.bus.drain();
    const res = await t.http
      .get('/api/messages')
      .query(type ? { type, limit: 100 } : { limit: 100 })
      .set(s.auth);
    expect(res.status).toBe(200);
    return res.body.data as { type: string; title: string; content: string; orderId: number | null }[];
  };

  it('when a paid order is reviewed and the electrician replies, then each side is told once', async () => {
    const { customer, electrician, orderId } = await paidOrder(t, 'flow-review');
    const before = (await inbox(electrician)).length;
    const { id: reviewId } = await review(t, customer, orderId);
    const afterReview = await inbox(electrician);
    expect(afterReview).toHaveLength(before + 1);
    expect(afterReview[0]).toMatchObject({ orderId });

    const customerBefore = (await inbox(customer)).length;
    expect(
      (await t.http.post(`/api/reviews/${reviewId}/reply`).set(electrician.auth).send({ content: '感谢您的认可！' })).status,
    ).toBe(200);
    const customerAfter = await inbox(customer);
    expect(customerAfter).toHaveLength(customerBefore + 1);
    expect(customerAfter[0]).toMatchObject({ orderId });
  });

  it('when a customer opens a complaint, adds to it and staff resolve it, then every step reaches everyone concerned but its author', async () => {
    const { customer, electrician, orderId } = await paidOrder(t, 'flow-complaint');
    const admin = await loginAsAdmin(t);
    const staffBefore = (await inbox(admin, 'complaint')).length;
    const opened = await openComplaint(t, customer, orderId);
    expect(opened.status).toBe(201);
    expect(await inbox(admin, 'complaint')).toHaveLength(staffBefore + 1);
    expect(await inbox(electrician, 'complaint')).toHaveLength(1);
    expect(await inbox(customer, 'complaint')).toHaveLength(1);

    // The customer adds to it: staff and the electrician hear of it, the customer not of their own words.
    const added = await t.http
      .post(`/api/complaints/${opened.body.data.id}/messages`)
      .set(customer.auth)
      .send({ content: '昨晚跳闸两次' });
    expect(added.status).toBe(200);
    const staffInbox = await inbox(admin, 'complaint');
    expect(staffInbox).toHaveLength(staffBefore + 2);
    expect(staffInbox[0]).toMatchObject({ orderId, title: '投诉有新的补充说明' });
    expect(staffInbox[0]!.content).toContain('昨晚跳闸两次');
    expect(await inbox(electrician, 'complaint')).toHaveLength(2);
    expect(await inbox(customer, 'complaint')).toHaveLength(1);

    const resolved = await t.http
      .post(`/api/admin/complaints/${opened.body.data.id}/resolve`)
      .set(admin.auth)
      .send({ outcome: 'compensate', note: '补偿优惠券 20 元，已与客户沟通确认' });
    expect(resolved.status).toBe(200);
    expect(await inbox(customer, 'complaint')).toHaveLength(2);
    expect(await inbox(electrician, 'complaint')).toHaveLength(3);
  });
});
