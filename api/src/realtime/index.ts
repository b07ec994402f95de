import type http from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import { Server } from 'socket.io';
import { z } from 'zod';
import type { Config } from '../config';
import type { AuthService } from '../modules/auth';
import type { ImageRefs } from '../modules/files';
import type { StaffDirectory } from '../modules/users';
import type { Clock } from '../shared/clock';
import type { DomainBus } from '../shared/domain-events';
import type { Logger } from '../shared/logger';
import type { ClientToServerEvents } from './events';
import type { BucketSpec } from './handlers';
import type { ElectricianCards, LocationPort, PushCandidates } from '../modules/electricians';
import type { OrderLists } from '../modules/orders';
import { AppError, unavailable } from '../shared/errors';
import { distanceKm } from '../shared/geo';
import type { Metrics } from '../shared/metrics';
import { socketsIn } from './cluster';
import { userRoom } from './events';
import { createBuckets, handle, type AppSocket, type HandlerContext } from './handlers';
import { subscribeOrderPushes, type AppServer, type Emitted } from './order-pushes';
import { createStaffRooms, roomsOfRole, type StaffRooms } from './staff-rooms';

export type { AppServer } from './order-pushes';

/** A stored location at most this often per electrician, whatever the client sends. */
export const LOCATION_WRITE_INTERVAL_MS = 10_000;
/** electrician-location to a customer: at most this often per order. */
export const ON_THE_WAY_INTERVAL_MS = 10_000;
/** Urban travel speed behind etaMinutes (a rough figure: straight line, no traffic). */
export const ELECTRICIAN_TRAVEL_KMH = 25;

/** How long the (already verified) handshake token has left; at most setTimeout's limit. */
function tokenLifetimeMs(auth: unknown, now: Date): number {
  const claims = jwt.decode((auth as { token: string }).token, { json: true });
  const left = typeof claims?.exp === 'number' ? claims.exp * 1000 - now.getTime() : 0;
  return Math.min(Math.max(left, 0), 2 ** 31 - 1);
}

const locationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

/**
 * What the realtime layer uses of the modules, wired in the container: sign-in checks, the
 * electricians' locations and push candidates, an electrician's accepted orders, the current role
 * of staff, and signed image URLs. Realtime reaches into no repository and holds no container.
 */
export interface RealtimePorts {
  authenticate: AuthService['authenticate'];
  electricians: LocationPort & PushCandidates & ElectricianCards;
  orders: OrderLists;
  staff: Pick<StaffDirectory, 'activeStaffRoles'>;
  imageRefs: ImageRefs;
}

/** Everything the realtime layer is built from. */
export interface RealtimeDeps extends RealtimePorts {
  config: Pick<Config, 'corsOrigins' | 'redisUrl'> & { dispatchRadiusKm: number };
  logger: Logger;
  clock: Clock;
  bus: DomainBus;
  /** Client events per socket, by event (the benchmarks lift them). */
  socketBuckets: Partial<Record<keyof ClientToServerEvents, BucketSpec>>;
  /** The modules' socket sides (chat, the message center). */
  features: SocketFeature[];
}

export interface Realtime {
  io: AppServer;
  /** Disconnects every client and stops accepting new ones (first step of a graceful stop). */
  disconnect(): void;
  /** Unsubscribes from the bus and closes the Redis clients (after the bus has drained). */
  close(): Promise<void>;
}

/** A feature's socket side (e.g. chat): set up once per server, then per connection. */
export type SocketFeature = (ctx: { io: AppServer; emitted: Emitted; staffRooms: StaffRooms }) => {
  connection(socket: AppSocket, ctx: HandlerContext): void;
  close(): void;
};

/** Socket.IO on the API's own HTTP server: JWT auth, user rooms, order pushes, client events. */
export function createRealtime(httpServer: http.Server, c: RealtimeDeps, options: { metrics?: Metrics } = {}): Realtime {
  const logger = c.logger.child({ component: 'realtime' });
  const io: AppServer = new Server(httpServer, {
    cors: { origin: c.config.corsOrigins.includes('*') ? true : c.config.corsOrigins },
    serveClient: false,
  });

  let redis: Redis[] = [];
  if (c.config.redisUrl) {
    const pub = new Redis(c.config.redisUrl, { lazyConnect: false });
    const sub = pub.duplicate();
    for (const r of [pub, sub]) r.on('error', (err) => logger.error({ err }, 'redis connection error'));
    redis = [pub, sub];
    io.adapter(createAdapter(pub, sub));
  }

  const emitted: Emitted = (event, recipients = 1) => options.metrics?.socketEvents.inc({ event }, recipients);
  const staffRooms = createStaffRooms(io, c.staff);
  const features = c.features.map((f) => f({ io, emitted, staffRooms }));

  // The same check as the REST guard: expired tokens, revoked sessions and banned users are refused.
  io.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const refuse = (code: string, message: string) => next(Object.assign(new Error('UNAUTHORIZED'), { data: { code, message } }));
    if (typeof token !== 'string' || token === '') return refuse('UNAUTHORIZED', '请先登录');
    try {
      const p = await c.authenticate(token);
      socket.data.userId = p.id;
      socket.data.role = p.userType;
      socket.data.staffRole = p.userType === 'admin' ? p.staffRole : null;
      socket.data.sessionId = p.sessionId;
      next();
    } catch (err) {
      const known = err instanceof AppError ? err : unavailable(err);
      if (known) return refuse(known.code, known.message);
      logger.error({ err }, 'socket authentication failed');
      refuse('UNAUTHORIZED', '登录校验失败');
    }
  });

  io.on('connection', (socket) => {
    const { userId, staffRole } = socket.data;
    // Staff also join a room per permission of their role: pushes for staff go to those rooms.
    void socket.join([userRoom(userId), ...roomsOfRole(staffRole)]);
    options.metrics?.socketsConnected.inc();
    // A socket lives no longer than its token: at expiry it is closed and the client reconnects
    // with a refreshed one (an idle socket would otherwise keep receiving pushes indefinitely).
    const expiry = setTimeout(() => socket.disconnect(true), tokenLifetimeMs(socket.handshake.auth, c.clock.now()));
    socket.on('disconnect', () => {
      clearTimeout(expiry);
      options.metrics?.socketsConnected.dec();
    });

    const take = createBuckets({ update_location: { capacity: 5, perSecond: 1 }, ...c.socketBuckets });
    const token = (socket.handshake.auth as { token: string }).token;
    const ctx: HandlerContext = { take, logger, principal: () => c.authenticate(token) };

    handle(
      socket,
      'heartbeat',
      z.object({}).passthrough(),
      () => {
        const at = c.clock.now().toISOString();
        socket.emit('heartbeat_ack', { at });
        emitted('heartbeat_ack');
        return { at };
      },
      ctx,
    );

    handle(
      socket,
      'update_location',
      locationSchema,
      async (at, caller) => {
        const e = await c.electricians.findByUserId(caller.id);
        if (!e) throw new AppError('NOT_ELIGIBLE', 403, '仅电工可以上报位置');
        const stored = await c.electricians.storeLocation(e.id, at, c.clock.now(), LOCATION_WRITE_INTERVAL_MS);
        await shareOnTheWay(e.id, at);
        return { stored };
      },
      ctx,
    );

    for (const feature of features) feature.connection(socket, ctx);
  });

  /** When each order's customer was last told where the electrician is (this instance). */
  const lastShared = new Map<number, number>();
  /**
   * The customer of an `accepted` order sees the assigned electrician approach: at most every
   * ON_THE_WAY_INTERVAL_MS per order, never before acceptance nor after arrival (status `accepted` only).
   */
  async function shareOnTheWay(electricianId: number, at: { latitude: number; longitude: number }): Promise<void> {
    const { items } = await c.orders.list({ electricianId, status: 'accepted', offset: 0, limit: 10 });
    const now = c.clock.now();
    for (const [orderId, sentAt] of lastShared) if (now.getTime() - sentAt >= ON_THE_WAY_INTERVAL_MS) lastShared.delete(orderId);
    for (const order of items) {
      if (lastShared.has(order.id)) continue;
      lastShared.set(order.id, now.getTime());
      const km = distanceKm(at, order);
      io.to(userRoom(order.userId)).emit('electrician-location', {
        orderId: order.id,
        latitude: at.latitude,
        longitude: at.longitude,
        distanceKm: Math.round(km * 100) / 100,
        etaMinutes: Math.max(1, Math.ceil((km / ELECTRICIAN_TRAVEL_KMH) * 60)),
        at: now.toISOString(),
      });
      emitted('electrician-location');
    }
  }

  const unsubscribe = subscribeOrderPushes(io, c, emitted, staffRooms);
  // A staff member's new role applies to their open sockets at once, on every instance.
  const unsubscribeRoles = c.bus.subscribe('staff.role_changed', (e) => staffRooms.resync(e.userId));
  // Logout, ban, a stolen refresh token, a password reset: the sessions' sockets go at once, on
  // every instance (fetchSockets goes through the adapter).
  const unsubscribeSessions = c.bus.subscribe('session.ended', async (e) => {
    const sockets = await socketsIn(io, userRoom(e.userId));
    for (const s of sockets) if (e.sessionId === null || s.data.sessionId === e.sessionId) s.disconnect(true);
  });

  return {
    io,
    disconnect() {
      // This instance's sockets only: with the Redis adapter, io.disconnectSockets() would ask every
      // instance to drop its clients (and wait on Redis to say so).
      io.local.disconnectSockets(true);
      io.engine.close();
    },
    async close() {
      unsubscribe();
      unsubscribeSessions();
      unsubscribeRoles();
      for (const feature of features) feature.close();
      if (redis.length === 0) {
        await io.of('/').adapter.close();
        return;
      }
      // The adapter's close() only unsubscribes (without waiting); closing the connections drops the
      // subscriptions with them. disconnect(), not quit(): quit() waits for Redis to answer, and an
      // unreachable Redis never does (ioredis keeps it queued while it reconnects), so shutdown hung.
      for (const r of redis) r.disconnect();
    },
  };
}
