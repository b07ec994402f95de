import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { start, type RunningServer } from '../../server';
import { createTestApp } from '../../../test/harness';
import { serverFor } from '../http-floor';

/**
 * Whether each request reached the server's listeners already carrying an Express app's prototypes
 * (`app` when given, else whichever app the request's prototype names).
 */
function watchBirth(server: http.Server, app?: Express): boolean[] {
  const born: boolean[] = [];
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const proto = Object.getPrototypeOf(req) as object & { app?: Express };
    const owner = app ?? proto.app;
    born.push(owner !== undefined && proto === (owner.request as object) && Object.getPrototypeOf(res) === owner.response);
  });
  return born;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('serverFor: requests born with the app’s prototypes', () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  function echoApp(): Express {
    const app = express();
    app.use(express.json());
    app.post('/echo/:id', (req, res) => {
      res
        .status(201)
        .set('x-seen', String(req.get('x-probe')))
        .json({ id: req.params.id, q: req.query.q, body: req.body, node: req instanceof http.IncomingMessage });
    });
    return app;
  }

  it('answers through Express as before, with objects that already are what Express makes them', async () => {
    const app = echoApp();
    const server = serverFor(app);
    servers.push(server);
    const born = watchBirth(server, app);
    const url = await listen(server);
    const res = await fetch(`${url}/echo/7?q=灯`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-probe': 'p' },
      body: JSON.stringify({ a: [1, 2] }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-seen')).toBe('p');
    expect(await res.json()).toEqual({ id: '7', q: '灯', body: { a: [1, 2] }, node: true });
    expect(born).toEqual([true]);
  });

  it('the check sees the difference: a plain node:http server hands Express objects it must re-prototype', async () => {
    const app = echoApp();
    const server = http.createServer(app);
    servers.push(server);
    const born = watchBirth(server, app);
    const url = await listen(server);
    const res = await fetch(`${url}/echo/1`, { method: 'POST' });
    expect(res.status).toBe(201);
    expect(born).toEqual([false]);
  });

  describe('the API server', () => {
    let running: RunningServer | undefined;
    afterEach(async () => {
      await running?.stop(500);
      running = undefined;
    });

    it('serves every request, sockets included, from objects born with the app’s prototypes', async () => {
      const t = await createTestApp();
      running = await start(t.c, { port: 0, host: '127.0.0.1', jobs: false });
      const born = watchBirth(running.server);
      const health = await fetch(`${running.url}/healthz`);
      expect(health.status).toBe(200);
      expect(health.headers.get('x-content-type-options')).toBe('nosniff');
      const missing = await fetch(`${running.url}/api/nothing-here`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
      // Engine.IO's long-polling handshake goes through the same server.
      const poll = await fetch(`${running.url}/socket.io/?EIO=4&transport=polling`);
      expect(poll.status).toBe(200);
      expect(await poll.text()).toMatch(/^0\{"sid":/);
      expect(born).toEqual([true, true, true]);
    });
  });
});
