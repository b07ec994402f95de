import { isRedelivery } from '../shared/event-outbox';
import type { Server } from 'socket.io';
import type { RealtimeDeps } from '.';
import type { DispatchOffered } from '../modules/dispatch';
import { createOrderPresenter, STATUS_TEXT, type Order, type OrderChanged } from '../modules/orders';
import { boundingBox, distanceKm, roundKm, withinKm } from '../shared/geo';
import type { StaffRooms } from './staff-rooms';
import {
  pushedRoom,
  userRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type OrderPayload,
  type ServerToClientEvents,
  type SocketData,
} from './events';

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type Emitted = (event: keyof ServerToClientEvents, recipients?: number) => void;

/**
 * Order pushes, driven by the domain bus (services never call Socket.IO). The bus runs these after
 * the transaction commits and contains their failures, so a push never fails a request.
 */
export function subscribeOrderPushes(io: AppServer, c: RealtimeDeps, emitted: Emitted, staffRooms: StaffRooms): () => void {
  const presenter = createOrderPresenter(c.electricians, c.imageRefs);
  const userOfElectrician = async (id: number | null) => (id === null ? undefined : (await c.electricians.findById(id))?.userId);

  async function statusUpdate(e: OrderChanged) {
    const o = e.order;
    const [full] = await presenter.full([o]);
    const message = `工单${o.orderNo}${STATUS_TEXT[o.status]}`;
    const payload = (order: OrderPayload) => ({ orderId: o.id, status: o.status, message, order });
    // Events staged before they carried their holders (an outbox row from an older version) read them.
    const assigned = e.holders ? e.holders.current?.userId : await userOfElectrician(o.electricianId);
    // Staff see every order's updates with orders.read, as the database says now.
    const staff = await staffRooms.permitted('orders.read');
    const rooms = [userRoom(o.userId), ...staff, ...(assigned !== undefined ? [userRoom(assigned)] : [])];
    io.to(rooms).emit('order-status-update', payload(full as OrderPayload));
    emitted('order-status-update');
    // The electrician who lost the order (release, unassign, cancel) hears of it, masked like the hall.
    if (e.previousElectricianId !== null && e.previousElectricianId !== o.electricianId) {
      const previous = e.holders ? e.holders.previous?.userId : await userOfElectrician(e.previousElectricianId);
      if (previous !== undefined && previous !== o.userId) {
        const [masked] = await presenter.masked([{ order: o, distanceKm: null }]);
        io.to(userRoom(previous))
          .except(rooms)
          .emit('order-status-update', payload(masked as OrderPayload));
        emitted('order-status-update');
      }
    }
  }

  async function newOrder(o: Order) {
    const radius = c.config.dispatchRadiusKm;
    const center = { latitude: o.latitude, longitude: o.longitude };
    const candidates = await c.electricians.pushCandidates(boundingBox(center, radius), o.estimatedAmount, o.userId);
    const near = candidates.map((e) => ({ e, km: distanceKm(center, e) })).filter((x) => withinKm(x.km, radius));
    if (near.length === 0) return;
    const [view] = await presenter.masked([{ order: o, distanceKm: null }]);
    // Without the Redis adapter every socket is in this process: an emit to a room nobody is in
    // would still encode the packet, for each of hundreds of mostly offline electricians.
    const rooms = io.of('/').adapter.rooms;
    const told = near.filter(({ e }) => c.config.redisUrl || rooms.has(userRoom(e.userId)));
    for (const { e, km } of told) {
      io.to(userRoom(e.userId)).emit('new-order', {
        orderId: o.id,
        orderInfo: { ...(view as OrderPayload), distanceKm: roundKm(km) },
      });
    }
    // A room per order, joined on whichever instance holds the socket, remembers who was told: one
    // operation for all of them (with Redis, one message rather than one per electrician).
    if (told.length) io.in(told.map(({ e }) => userRoom(e.userId))).socketsJoin(pushedRoom(o.id));
    emitted('new-order', told.length);
  }

  async function taken(e: OrderChanged) {
    const o = e.order;
    const winner = e.holders ? e.holders.current?.userId : await userOfElectrician(o.electricianId);
    const room = pushedRoom(o.id);
    (winner !== undefined ? io.to(room).except(userRoom(winner)) : io.to(room)).emit('order-taken', { orderId: o.id });
    emitted('order-taken');
    io.in(room).socketsLeave(room);
  }

  async function offer(e: DispatchOffered) {
    const offered = await c.electricians.findById(e.electricianId);
    const at = offered && offered.latitude !== null && offered.longitude !== null ? offered : undefined;
    const km = at ? roundKm(distanceKm({ latitude: at.latitude!, longitude: at.longitude! }, e.order)) : null;
    const [view] = await presenter.masked([{ order: e.order, distanceKm: km }]);
    io.to(userRoom(e.electricianUserId)).emit('dispatch-offer', {
      orderId: e.orderId,
      orderInfo: view as OrderPayload,
      expiresAt: e.expiresAt.toISOString(),
    });
    emitted('dispatch-offer');
  }

  // A redelivered event (after a crash) is old news: its pushes would show a stale state, and the
  // clients reload the truth when they reconnect.
  const live =
    <E extends object>(push: (e: E) => unknown) =>
    (e: E) =>
      isRedelivery(e) ? undefined : push(e);
  const offs = [
    c.bus.subscribe(
      '*',
      live(async (e) => {
        // Order transitions are the events with an action; payments and offers have their own pushes.
        if (!('action' in e)) return;
        await statusUpdate(e);
        if (e.name === 'order.created' || e.name === 'order.released') await newOrder(e.order);
        if (e.name === 'order.accepted') await taken(e);
      }),
    ),
    c.bus.subscribe('dispatch.offered', live(offer)),
    c.bus.subscribe(
      'order.paid',
      live((e) => {
        io.to(userRoom(e.order.userId)).emit('payment-success', { orderId: e.orderId, paymentNo: e.paymentNo });
        emitted('payment-success');
      }),
    ),
  ];
  return () => offs.forEach((off) => off());
}
