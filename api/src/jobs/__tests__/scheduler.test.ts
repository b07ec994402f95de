import { describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/logger';
import { createScheduler } from '../scheduler';
import { createTestApp } from '../../../test/harness';

const logger = createLogger('silent');

describe('the job scheduler', () => {
  it('when a job is still running, then a second tick does not start it again', async () => {
    let running = 0;
    let maxRunning = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const s = createScheduler(
      [
        {
          name: 'slow',
          intervalMs: 60_000,
          run: async () => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await gate;
            running--;
          },
        },
      ],
      logger,
    );
    const first = s.tick();
    const second = s.tick();
    release();
    await Promise.all([first, second]);
    expect(maxRunning).toBe(1);
  });

  it('when a job throws, then the error is contained and other jobs still run', async () => {
    const ran: string[] = [];
    const s = createScheduler(
      [
        {
          name: 'broken',
          intervalMs: 60_000,
          run: async () => {
            throw new Error('boom');
          },
        },
        { name: 'fine', intervalMs: 60_000, run: async () => ran.push('fine') },
      ],
      logger,
    );
    await s.tick();
    expect(ran).toEqual(['fine']);
  });

  it('when started, then every job runs once at once (catching up after a restart) before its first interval', async () => {
    const ran: string[] = [];
    const s = createScheduler([{ name: 'hourly', intervalMs: 3_600_000, run: async () => ran.push('hourly') }], logger);
    s.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).toEqual(['hourly']);
    await s.stop();
  });

  it('when started, then jobs run on their interval until stopped, and stop waits for a running job', async () => {
    let runs = 0;
    let finished = false;
    const s = createScheduler(
      [
        {
          name: 'tick',
          intervalMs: 10,
          run: async () => {
            runs++;
            await new Promise((r) => setTimeout(r, 30));
            finished = true;
          },
        },
      ],
      logger,
    );
    s.start();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (runs >= 1) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    await s.stop();
    expect(finished).toBe(true);
    const after = runs;
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBe(after);
  });

  it('when the platform jobs tick on a fresh database, then every job runs without error', async () => {
    const t = await createTestApp();
    try {
      // The event redelivery, then each module's jobs (in the container's order of modules).
      const names = t.c.jobs.map((j) => j.name);
      expect(names[0]).toBe('events.redeliver');
      expect([...names].sort()).toEqual(
        [
          'events.redeliver',
          'orders.expire',
          'orders.hall-follow',
          'orders.hall-reload',
          'dispatch.offers',
          'orders.arrival-sla',
          'payments.sync-pending',
          'payments.refund-retry',
          'payments.settle',
          'payouts.sync-pending',
          'messages.subscribe-outbox',
          'uploads.cleanup',
        ].sort(),
      );
      const errors: unknown[] = [];
      for (const job of t.c.jobs) await job.run().catch((err: unknown) => errors.push(err));
      expect(errors).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
