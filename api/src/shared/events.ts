import type { Logger } from './logger';

/**
 * The in-process domain event bus. Services publish after their transaction commits; realtime
 * pushes, notifications and subscribe messages subscribe. A subscriber's failure is logged and
 * never reaches the publisher, so a push can't fail or slow the request that caused it.
 */
export interface EventBus<E extends { name: string }> {
  /** Runs every handler of `event`; the promise (which publishers need not await) tells whether all succeeded. */
  publish(event: E): Promise<boolean>;
  subscribe<N extends E['name']>(name: N | '*', handler: (event: Extract<E, { name: N }>) => unknown): () => void;
  /** Resolves when every handler started so far has finished (tests, shutdown). */
  drain(): Promise<void>;
}

export function createEventBus<E extends { name: string }>(logger: Logger): EventBus<E> {
  const handlers = new Map<string, Set<(event: E) => unknown>>();
  const running = new Set<Promise<unknown>>();

  return {
    publish(event) {
      const runs: Promise<boolean>[] = [];
      for (const key of [event.name, '*']) {
        for (const handler of handlers.get(key) ?? []) {
          const run = Promise.resolve()
            .then(() => handler(event))
            .then(
              () => true,
              (err: unknown) => {
                logger.error({ err, event: event.name }, 'event handler failed');
                return false;
              },
            );
          running.add(run);
          void run.finally(() => running.delete(run));
          runs.push(run);
        }
      }
      return Promise.all(runs).then((ok) => ok.every(Boolean));
    },
    subscribe(name, handler) {
      const set = handlers.get(name) ?? new Set();
      handlers.set(name, set);
      const h = handler as (event: E) => unknown;
      set.add(h);
      return () => set.delete(h);
    },
    async drain() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
