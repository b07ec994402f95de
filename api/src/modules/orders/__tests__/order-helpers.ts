import { randomBytes } from 'node:crypto';
import { jpeg } from '../../../../test/fixtures/images';
import type { Session, TestApp } from '../../../../test/harness';
import type { UploadPurpose } from '../../files/files.service';

/** Uploads a distinct JPEG for `purpose` as `s`; returns the upload id. */
export async function uploadImage(t: Pick<TestApp, 'http'>, s: Session, purpose: UploadPurpose): Promise<number> {
  const res = await t.http
    .post('/api/uploads')
    .set(s.auth)
    .field('purpose', purpose)
    .attach('file', jpeg(randomBytes(8).toString('hex')), { filename: 'photo.jpg', contentType: 'image/jpeg' });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as number;
}

export const WEST_LAKE = { latitude: 30.259, longitude: 120.13 };

export function orderBody(overrides: Record<string, unknown> = {}) {
  return {
    contactName: '张丽',
    contactPhone: '13812345678',
    address: '西湖区文三路 90 号 3 幢 502',
    region: '杭州市西湖区',
    latitude: 30.2612,
    longitude: 120.1335,
    description: '客厅插座冒火花，总闸跳了两次',
    urgentType: 'normal',
    faultType: 'circuit',
    ...overrides,
  };
}

/** Places an order through the API as `s`; returns the order view. */
export async function placeOrder(t: Pick<TestApp, 'http'>, s: Session, overrides: Record<string, unknown> = {}) {
  const res = await t.http.post('/api/orders').set(s.auth).send(orderBody(overrides));
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: number; status: string; orderNo: string; version: number } & Record<string, unknown>;
}

/** The order row and its events, for "nothing changed" assertions. */
export async function snapshot(t: Pick<TestApp, 'db'>, orderId: number) {
  const order = await t.db('orders').where({ id: orderId }).first();
  const events = await t.db('order_events').where({ order_id: orderId }).orderBy('id');
  const quotes = await t.db('order_quotes').where({ order_id: orderId }).orderBy('id');
  return { order, events, quotes };
}
