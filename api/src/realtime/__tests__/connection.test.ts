import { describe, expect, it } from 'vitest';
import { createTestApp, login, loginAsAdmin, loginAsElectrician, type TestApp } from '../../../test/harness';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../modules/auth/tokens';
import { loginAsStaff } from '../../modules/staff/__tests__/staff-helpers';
import { LOCATION_WRITE_INTERVAL_MS } from '..';
import { ban, connect, disconnected, startRealtime, waitFor, useRealtimeApp } from './support';

describe('realtime connection', () => {
  let t: TestApp;
  let url: string;

  useRealtimeApp((app) => ({ t, url } = app));

  it('when no token is sent, then the connection is refused with UNAUTHORIZED', async () => {
    await expect(connect(url, undefined)).rejects.toMatchObject({ message: 'UNAUTHORIZED' });
  });

  it('when the token is not a valid JWT, then the connection is refused with UNAUTHORIZED', async () => {
    await expect(connect(url, 'not-a-token')).rejects.toMatchObject({ message: 'UNAUTHORIZED' });
  });

  it('when the access token has expired, then a (re)connection is refused', async () => {
    const s = await login(t, 'expiring');
    const ok = await connect(url, s.token);
    ok.close();
    t.clock.advance((ACCESS_TOKEN_TTL_SECONDS + 1) * 1000);
    try {
      await expect(connect(url, s.token)).rejects.toMatchObject({ message: 'UNAUTHORIZED' });
    } finally {
      t.clock.advance(-(ACCESS_TOKEN_TTL_SECONDS + 1) * 1000);
    }
  });

  it('when the user is banned, then the connection is refused with the FORBIDDEN reason', async () => {
    const s = await login(t, 'to-ban');
    await ban(t, s.userId);
    const err = (await connect(url, s.token).catch((e: unknown) => e)) as Error & { data?: { code: string } };
    expect(err.message).toBe('UNAUTHORIZED');
    expect(err.data?.code).toBe('FORBIDDEN');
  });

  it('when a connected user is banned, then the server disconnects their sockets at once and a reconnection is refused FORBIDDEN', async () => {
    const s = await login(t, 'banned-live');
    const socket = await connect(url, s.token);
    const gone = disconnected(socket);
    await ban(t, s.userId);
    // Nothing is sent by the client: the ban alone ends the socket, so no more pushes reach it.
    expect(await gone).toBe('io server disconnect');
    const err = (await connect(url, s.token).catch((e: unknown) => e)) as Error & { data?: { code: string } };
    expect(err.data?.code).toBe('FORBIDDEN');
  });

  it('when staff reset the password of another staff member, then the console sockets of that member are disconnected', async () => {
    const agent = await loginAsStaff(t, 'agent');
    const socket = await connect(url, agent.token);
    const gone = disconnected(socket);
    const admin = await loginAsAdmin(t);
    const res = await t.http.patch(`/api/admin/staff/${agent.userId}`).set(admin.auth).send({ password: 'N3w-passw0rd!' });
    expect(res.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
  });

  it('when a user logs out of one session, then only the socket of that session is disconnected', async () => {
    const phone = await login(t, 'two-devices');
    const tablet = await login(t, 'two-devices');
    expect(tablet.userId).toBe(phone.userId);
    const [onPhone, onTablet] = [await connect(url, phone.token), await connect(url, tablet.token)];
    const gone = disconnected(onPhone);
    expect((await t.http.post('/api/auth/logout').set(phone.auth).send({ refreshToken: phone.refreshToken })).status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    expect(onTablet.connected).toBe(true);
    expect((await onTablet.emitWithAck('heartbeat', {})).ok).toBe(true);
  });

  it('when a copied refresh token is presented again, then the sockets of the stolen session are disconnected', async () => {
    const s = await login(t, 'stolen');
    const socket = await connect(url, s.token);
    const gone = disconnected(socket);
    expect((await t.http.post('/api/auth/refresh').send({ refreshToken: s.refreshToken })).status).toBe(200);
    // The thief (or the owner) presents the already-rotated token: the whole session ends.
    expect((await t.http.post('/api/auth/refresh').send({ refreshToken: s.refreshToken })).status).toBe(401);
    expect(await gone).toBe('io server disconnect');
  });

  it('when the access token of a connected socket expires, then the server closes the socket without waiting for an event', async () => {
    const s = await login(t, 'idle-expiring');
    // 1.5–2.5 s of the token's life left when the socket connects (exp is in whole seconds).
    const shift = ACCESS_TOKEN_TTL_SECONDS * 1000 - 2_500;
    t.clock.advance(shift);
    try {
      const socket = await connect(url, s.token);
      const started = Date.now();
      expect(await disconnected(socket)).toBe('io server disconnect');
      expect(Date.now() - started).toBeGreaterThan(1_000);
    } finally {
      t.clock.advance(-shift);
    }
  });

  it('when a session is revoked where no event reaches this instance, then events pass until its session check expires, then the next is refused UNAUTHORIZED and the socket is disconnected', async () => {
    const s = await login(t, 'revoked-elsewhere');
    const socket = await connect(url, s.token);
    // As a hand-written SQL change would (nothing published): the row is revoked behind the platform's back.
    await t.db('refresh_tokens').where({ user_id: s.userId }).update({ revoked_at: new Date(), revoked_reason: 'logout' });
    expect(await socket.emitWithAck('heartbeat', {})).toMatchObject({ ok: true });
    const gone = disconnected(socket);
    t.clock.advance(t.config.sessionCacheMs);
    try {
      expect(await socket.emitWithAck('heartbeat', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect(await gone).toBe('io server disconnect');
    } finally {
      t.clock.advance(-t.config.sessionCacheMs);
    }
  });

  it('when a signed-in user sends heartbeat, then the ack is ok and heartbeat_ack is emitted', async () => {
    const s = await login(t, 'beating');
    const socket = await connect(url, s.token);
    const pushed = waitFor(socket, 'heartbeat_ack');
    const ack = await socket.emitWithAck('heartbeat', {});
    expect(ack.ok).toBe(true);
    expect((await pushed).at).toEqual(expect.any(String));
  });

  it('when a payload is invalid, then the ack says VALIDATION_FAILED and the socket stays usable', async () => {
    const e = await loginAsElectrician(t, 'validating');
    const socket = await connect(url, e.token);
    const bad = await socket.emitWithAck('update_location', { latitude: 'north', longitude: 500 } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.any(String) } });
    const noPayload = await socket.emitWithAck('send_message', undefined as never);
    expect(noPayload).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect((await socket.emitWithAck('heartbeat', {})).ok).toBe(true);
  });

  it('when a client sends an event without an ack callback, then nothing crashes', async () => {
    const s = await login(t, 'no-ack');
    const socket = await connect(url, s.token);
    (socket as unknown as { emit(e: string, p: unknown): void }).emit('update_location', { latitude: 1 });
    (socket as unknown as { emit(e: string): void }).emit('typing');
    expect((await socket.emitWithAck('heartbeat', {})).ok).toBe(true);
  });

  it('when a socket floods an event, then it is answered RATE_LIMITED after its burst', async () => {
    const s = await login(t, 'flooder');
    const socket = await connect(url, s.token);
    const acks = await Promise.all(Array.from({ length: 30 }, () => socket.emitWithAck('heartbeat', {})));
    expect(acks.filter((a) => a.ok).length).toBeLessThan(30);
    expect(acks.find((a) => !a.ok)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('when an electrician reports locations, then at most one is stored per interval and the ack says which', async () => {
    const e = await loginAsElectrician(t, 'mover');
    const socket = await connect(url, e.token);
    t.clock.advance(LOCATION_WRITE_INTERVAL_MS);
    const first = await socket.emitWithAck('update_location', { latitude: 30.3, longitude: 120.2 });
    expect(first).toEqual({ ok: true, data: { stored: true } });
    const second = await socket.emitWithAck('update_location', { latitude: 30.4, longitude: 120.3 });
    expect(second).toEqual({ ok: true, data: { stored: false } });
    let row = await t.db('electricians').where({ id: e.electricianId }).first();
    expect([Number(row.current_latitude), Number(row.current_longitude)]).toEqual([30.3, 120.2]);
    t.clock.advance(LOCATION_WRITE_INTERVAL_MS);
    expect(await socket.emitWithAck('update_location', { latitude: 30.4, longitude: 120.3 })).toEqual({
      ok: true,
      data: { stored: true },
    });
    row = await t.db('electricians').where({ id: e.electricianId }).first();
    expect(Number(row.current_latitude)).toBe(30.4);
  });

  it('when a customer reports a location, then the ack refuses it as NOT_ELIGIBLE', async () => {
    const s = await login(t, 'customer-loc');
    const socket = await connect(url, s.token);
    expect(await socket.emitWithAck('update_location', { latitude: 30.3, longitude: 120.2 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_ELIGIBLE' },
    });
  });

  it('when the server stops, then connected clients are disconnected and stop completes promptly', async () => {
    const other = await createTestApp();
    const running = await startRealtime(other.c);
    const s = await login(other, 'stopper');
    const socket = await connect(running.url, s.token);
    const gone = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const started = Date.now();
    await running.server.stop(5000);
    await gone;
    expect(Date.now() - started).toBeLessThan(4000);
    await other.close().catch(() => undefined);
  });

  it('when clients connect and events are sent, then /metrics reports connected sockets and events by type', async () => {
    const s = await login(t, 'measured');
    const socket = await connect(url, s.token);
    await socket.emitWithAck('heartbeat', {});
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(Number(/^socketio_connected_sockets (\d+)/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^socketio_events_sent_total\{event="heartbeat_ack"\} [1-9]/m);
  });
});
