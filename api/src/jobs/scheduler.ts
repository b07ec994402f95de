import type { Logger } from '../shared/logger';

export interface Job {
  name: string;
  intervalMs: number;
  /** Idempotent and driven by the database, so two processes running it at once do no harm. */
  run(): Promise<unknown>;
}

/**
 * Runs each job on its interval, never overlapping with itself. Jobs keep no state in memory: what
 * is due is read from the database each time, so a restart simply resumes.
 */
export function createScheduler(jobs: Job[], logger: Logger) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<string, Promise<void>>();

  async function runOnce(job: Job): Promise<void> {
    const existing = running.get(job.name);
    if (existing) return existing;
    const run = (async () => {
      try {
        const result = await job.run();
        if (typeof result === 'number' && result > 0) logger.info({ job: job.name, processed: result }, 'job ran');
      } catch (err) {
        logger.error({ err, job: job.name }, 'job failed');
      } finally {
        running.delete(job.name);
      }
    })();
    running.set(job.name, run);
    return run;
  }

  return {
    /**
     * Runs every job once right away — after a crash or a deploy, what fell due while the process
     * was down (expiries, offers, outboxes) is caught up at once — then on its interval.
     */
    start(): void {
      for (const job of jobs) {
        const timer = setInterval(() => void runOnce(job), job.intervalMs);
        timer.unref();
        timers.push(timer);
        void runOnce(job);
      }
    },
    /** Runs every job once now (tests, and the first tick after start). */
    async tick(): Promise<void> {
      for (const job of jobs) await runOnce(job);
    },
    async stop(): Promise<void> {
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.allSettled([...running.values()]);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
