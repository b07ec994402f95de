import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { Principal } from '../shared/auth';
import { AppError, unavailable, zodDetails } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { Ack, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './events';

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Events per socket: a burst of `capacity`, refilled at `perSecond`. */
export interface BucketSpec {
  capacity: number;
  perSecond: number;
}

export const DEFAULT_BUCKET: BucketSpec = { capacity: 20, perSecond: 5 };

/** A token bucket per event name, owned by one socket (so it dies with it). */
export function createBuckets(spec: Partial<Record<keyof ClientToServerEvents, BucketSpec>>, now = () => Date.now()) {
  const state = new Map<string, { tokens: number; at: number }>();
  return (event: keyof ClientToServerEvents): boolean => {
    const { capacity, perSecond } = spec[event] ?? DEFAULT_BUCKET;
    const t = now();
    const s = state.get(event) ?? { tokens: capacity, at: t };
    s.tokens = Math.min(capacity, s.tokens + ((t - s.at) / 1000) * perSecond);
    s.at = t;
    state.set(event, s);
    if (s.tokens < 1) return false;
    s.tokens -= 1;
    return true;
  };
}

const failure = (code: string, message: string): Ack => ({ ok: false, error: { code, message } });

export interface HandlerContext {
  take: (event: keyof ClientToServerEvents) => boolean;
  /**
   * The caller as the database says now, like every REST request: a ban, a logout or an expired
   * token refuses the event (and the socket is then disconnected).
   */
  principal: () => Promise<Principal>;
  logger: Logger;
}

/**
 * Registers a client event: rate-limited, validated with zod, checked against the caller's current
 * session, answered through the ack envelope. A client that sent no ack callback still gets the
 * work done, and nothing crashes.
 */
export function handle<S extends z.ZodType>(
  socket: AppSocket,
  event: keyof ClientToServerEvents,
  schema: S,
  run: (data: z.infer<S>, caller: Principal) => unknown,
  ctx: HandlerContext,
): void {
  const loose = socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void };
  loose.on(event, (...args: unknown[]) => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (r: Ack) => void) : () => undefined;
    const payload = typeof last === 'function' ? args.slice(0, -1)[0] : args[0];
    if (!ctx.take(event)) return ack(failure('RATE_LIMITED', '操作过于频繁，请稍后再试'));
    const parsed = schema.safeParse(payload ?? {});
    if (!parsed.success) {
      const first = zodDetails(parsed.error)[0];
      const where = first ? `${first.path.join('.') || 'payload'}: ${first.message}` : '';
      return ack(failure('VALIDATION_FAILED', `参数不正确 ${where}`.trim()));
    }
    void (async () => {
      let caller: Principal;
      try {
        caller = await ctx.principal();
      } catch (err) {
        // A database outage is not the caller's fault: answer it and keep the socket.
        const outage = unavailable(err);
        if (outage) return ack(failure(outage.code, outage.message));
        const refused = err instanceof AppError ? err : new AppError('UNAUTHORIZED', 401, '登录已失效，请重新登录');
        ack(failure(refused.code, refused.message));
        socket.disconnect(true);
        return;
      }
      try {
        ack({ ok: true, data: (await run(parsed.data, caller)) ?? {} });
      } catch (err) {
        const known = err instanceof AppError ? err : unavailable(err);
        if (known) return ack(failure(known.code, known.message));
        ctx.logger.error({ err, event }, 'socket handler failed');
        ack(failure('INTERNAL', '服务器内部错误，请稍后再试'));
      }
    })();
  });
}
