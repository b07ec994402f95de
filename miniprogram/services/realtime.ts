/**
 * The one socket client: Socket.IO v5 over Engine.IO v4 on wx.connectSocket (socket.io-client does
 * not run there). WebSocket transport only, JWT in the CONNECT packet, ping/pong watchdog, acks
 * both ways, backoff reconnect with a send buffer, and a refresh through services/request.ts when
 * the server refuses the token. Pushes missed while disconnected are not replayed: pages re-sync
 * from the API in onShow (and on `onStatus('connected')` after a reconnect).
 */
import { session } from '../stores/session';
import { ApiError, refreshSession, socketBase } from './request';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from './realtime-events';

export type RealtimeStatus = 'connecting' | 'connected' | 'disconnected';
type Handler = (payload: never) => unknown;

// Engine.IO v4 packet types (first character of a frame).
const EIO = { open: '0', close: '1', ping: '2', pong: '3', message: '4', noop: '6' } as const;
// Socket.IO v5 packet types (first character after the Engine.IO message type).
const SIO = { connect: '0', disconnect: '1', event: '2', ack: '3', connectError: '4' } as const;

export const REALTIME_TIMING = {
  /** An emit without an answer within this time rejects (and is not sent later). */
  ackTimeoutMs: 10_000,
  /** Opening the socket and the Socket.IO handshake must finish within this time. */
  connectTimeoutMs: 20_000,
  reconnectDelayMs: 1_000,
  reconnectDelayMaxMs: 30_000,
};

const NOT_CONNECTED = '实时连接已断开，请稍后重试';

interface PendingAck {
  resolve(data: unknown): void;
  reject(err: ApiError): void;
  timer: ReturnType<typeof setTimeout>;
  /** The frame while it waits in the send buffer (removed when it times out before being sent). */
  frame?: string;
}

interface Connection {
  task: WechatMiniprogram.SocketTask;
  token: string;
  /** The Socket.IO namespace answered CONNECT. */
  ready: boolean;
  /** pingInterval + pingTimeout from the handshake: silence longer than this means the link is dead. */
  pingWindow?: number;
  watchdog?: ReturnType<typeof setTimeout>;
}

function createRealtime() {
  const handlers = new Map<string, Set<Handler>>();
  const statusHandlers = new Set<(s: RealtimeStatus) => void>();
  const acks = new Map<number, PendingAck>();
  const buffer: string[] = [];
  let nextAckId = 0;
  let conn: Connection | null = null;
  let wanted = false;
  let attempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let status: RealtimeStatus = 'disconnected';
  /** Set after a refresh forced by a refused token: a second refusal ends the attempts. */
  let refreshedToken: string | null = null;

  function setStatus(next: RealtimeStatus): void {
    if (next === status) return;
    status = next;
    for (const h of [...statusHandlers]) h(next);
  }

  function sendFrame(c: Connection, frame: string): void {
    c.task.send({ data: frame });
  }

  function armWatchdog(c: Connection, ms: number): void {
    if (c.watchdog) clearTimeout(c.watchdog);
    c.watchdog = setTimeout(() => {
      if (conn === c) drop(c);
    }, ms);
  }

  /** Forgets the connection; reconnects with backoff while wanted. */
  function drop(c: Connection, reconnect = true): void {
    if (conn !== c) return;
    conn = null;
    if (c.watchdog) clearTimeout(c.watchdog);
    try {
      c.task.close({ code: 1000, reason: 'client' });
    } catch {
      // Already closed.
    }
    setStatus('disconnected');
    if (wanted && reconnect) scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (reconnectTimer) return;
    const base = Math.min(REALTIME_TIMING.reconnectDelayMaxMs, REALTIME_TIMING.reconnectDelayMs * 2 ** attempts);
    attempts += 1;
    // Jitter spreads a crowd of phones reconnecting after a server restart.
    const delay = Math.round(base * (0.5 + Math.random() / 2));
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      if (wanted && !conn) open();
    }, delay);
  }

  function open(): void {
    const token = session.getToken();
    if (!token) {
      // Nobody is signed in: nothing to connect as; connect() again after login.
      wanted = false;
      setStatus('disconnected');
      return;
    }
    setStatus('connecting');
    const url = `${socketBase()}/socket.io/?EIO=4&transport=websocket`;
    // `fail` (e.g. the limit of open sockets) runs later, once `c` exists: treat it as a lost link.
    const task = wx.connectSocket({ url, fail: () => drop(c) });
    const c: Connection = { task, token, ready: false };
    conn = c;
    armWatchdog(c, REALTIME_TIMING.connectTimeoutMs);
    task.onMessage((res) => {
      if (conn === c && typeof res.data === 'string') onFrame(c, res.data);
    });
    task.onClose(() => drop(c));
    task.onError(() => drop(c));
  }

  function onFrame(c: Connection, frame: string): void {
    const type = frame[0];
    if (type === EIO.open) {
      const { pingInterval, pingTimeout } = JSON.parse(frame.slice(1)) as { pingInterval: number; pingTimeout: number };
      c.pingWindow = pingInterval + pingTimeout;
      armWatchdog(c, c.pingWindow);
      sendFrame(c, `${EIO.message}${SIO.connect}${JSON.stringify({ token: c.token })}`);
    } else if (type === EIO.ping) {
      armWatchdog(c, c.pingWindow ?? REALTIME_TIMING.connectTimeoutMs);
      sendFrame(c, EIO.pong);
    } else if (type === EIO.close) {
      drop(c);
    } else if (type === EIO.message) {
      onPacket(c, frame.slice(1));
    }
  }

  function onPacket(c: Connection, packet: string): void {
    const type = packet[0];
    const rest = packet.slice(1);
    if (type === SIO.connect) {
      c.ready = true;
      attempts = 0;
      refreshedToken = null;
      setStatus('connected');
      for (const frame of buffer.splice(0)) sendFrame(c, frame);
    } else if (type === SIO.connectError) {
      void onRefused(c, JSON.parse(rest) as { message?: string; data?: { code?: string } });
    } else if (type === SIO.disconnect) {
      // The server ended this session (e.g. the token expired): reconnect, which re-checks the token.
      drop(c);
    } else if (type === SIO.event || type === SIO.ack) {
      const match = /^(\d*)([\s\S]*)$/.exec(rest);
      const id = match && match[1] !== '' ? Number(match[1]) : undefined;
      const args = JSON.parse(match ? match[2] : '[]') as unknown[];
      if (type === SIO.ack) settleAck(id, args[0]);
      else onEvent(c, id, args);
    }
  }

  function onEvent(c: Connection, id: number | undefined, args: unknown[]): void {
    const [event, ...payload] = args as [string, ...unknown[]];
    let answer: unknown;
    for (const h of [...(handlers.get(event) ?? [])]) {
      try {
        const result = (h as (...a: unknown[]) => unknown)(...payload);
        if (answer === undefined) answer = result;
      } catch (err) {
        // One page's broken handler must not keep the others (or the connection) from working.
        console.error(`realtime handler for ${event} failed`, err);
      }
    }
    // The server asked for an acknowledgement: answer with the first handler's result.
    if (id !== undefined) sendFrame(c, `${EIO.message}${SIO.ack}${id}${JSON.stringify(answer === undefined ? [] : [answer])}`);
  }

  function settleAck(id: number | undefined, response: unknown): void {
    const pending = id === undefined ? undefined : acks.get(id);
    if (!pending || id === undefined) return;
    acks.delete(id);
    clearTimeout(pending.timer);
    const ack = response as Ack | undefined;
    if (ack && ack.ok === true) pending.resolve(ack.data);
    else if (ack && ack.ok === false) pending.reject(new ApiError(ack.error.code, ack.error.message));
    else pending.resolve(response);
  }

  /** connect_error: a refused token is refreshed once through request.ts, then the connection is retried. */
  async function onRefused(c: Connection, err: { message?: string; data?: { code?: string } }): Promise<void> {
    drop(c, false);
    const code = err.data?.code ?? err.message;
    if (code !== 'UNAUTHORIZED') {
      // Banned or otherwise refused: retrying cannot help.
      wanted = false;
      return;
    }
    if (refreshedToken !== null && refreshedToken === c.token) {
      wanted = false;
      return;
    }
    try {
      const current = session.getToken();
      // Another request may already have refreshed the session since this connection started.
      refreshedToken = current && current !== c.token ? current : await refreshSession();
    } catch {
      // request.ts ended the session (or the network failed): stay disconnected until connect() again.
      wanted = false;
      return;
    }
    if (wanted && !conn) open();
  }

  function failPending(message: string): void {
    buffer.length = 0;
    for (const [id, p] of acks) {
      clearTimeout(p.timer);
      acks.delete(id);
      p.reject(new ApiError('NETWORK', message));
    }
  }

  return {
    /** Idempotent; connects with the session's current token and keeps reconnecting until disconnect(). */
    connect(): void {
      wanted = true;
      if (conn || reconnectTimer) return;
      attempts = 0;
      open();
    },
    disconnect(): void {
      wanted = false;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      const c = conn;
      if (c?.ready) sendFrame(c, `${EIO.message}${SIO.disconnect}`);
      if (c) drop(c, false);
      setStatus('disconnected');
      failPending(NOT_CONNECTED);
    },
    status(): RealtimeStatus {
      return status;
    },
    on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler as Handler);
      return () => void set.delete(handler as Handler);
    },
    /** Resolves with the ack's data; rejects ApiError(code, message) on {ok: false}, when not connecting, or on timeout. */
    emit<E extends keyof ClientToServerEvents>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<unknown> {
      if (!wanted) return Promise.reject(new ApiError('NETWORK', NOT_CONNECTED));
      const id = nextAckId++;
      const frame = `${EIO.message}${SIO.event}${id}${JSON.stringify([event, payload])}`;
      return new Promise((resolve, reject) => {
        const pending: PendingAck = {
          resolve,
          reject,
          timer: setTimeout(() => {
            acks.delete(id);
            if (pending.frame) {
              const at = buffer.indexOf(pending.frame);
              if (at >= 0) buffer.splice(at, 1);
            }
            reject(new ApiError('TIMEOUT', '实时服务响应超时，请稍后重试'));
          }, REALTIME_TIMING.ackTimeoutMs),
        };
        acks.set(id, pending);
        if (conn?.ready) sendFrame(conn, frame);
        else {
          pending.frame = frame;
          buffer.push(frame);
        }
      });
    },
    onStatus(handler: (s: RealtimeStatus) => void): () => void {
      statusHandlers.add(handler);
      return () => void statusHandlers.delete(handler);
    },
  };
}

export type Realtime = ReturnType<typeof createRealtime>;

/** The app's one connection (a mini-program holds at most a few sockets). */
export const realtime: Realtime = createRealtime();
export { createRealtime };
