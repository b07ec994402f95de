/**
 * A statement over many keys (`where id in (…)`), shared by concurrent callers: at most one `run`
 * is in flight, and the keys asked for while it runs go together in the next one, which starts when
 * it ends (when none runs, at the end of the current turn of the event loop). Idle, a caller waits
 * one turn; busy, an instance whose after-commit work reads the same kind of row for many events
 * at once sends one statement per round trip of the last, not one per event.
 *
 * A caller is never answered by a run that began before it asked: what it reads is at least as new
 * as its own commit (a badge counts the notification just written). A failed run fails each of its
 * callers.
 */
export function batched<K, V>(
  run: (keys: K[]) => Promise<Map<K, V>>,
  /** Keys per statement at most: more (every client reconnecting at once) go in several, one after another. */
  most = 1000,
): (keys: readonly K[]) => Promise<Map<K, V>> {
  let due = new Set<K>();
  /** The run in flight, settled either way. */
  let running: Promise<unknown> | undefined;
  /** The run that takes `due` when it starts. */
  let next: Promise<Map<K, V>> | undefined;

  async function inChunks(keys: K[]): Promise<Map<K, V>> {
    const all = new Map<K, V>();
    for (let i = 0; i < keys.length; i += most) for (const [k, v] of await run(keys.slice(i, i + most))) all.set(k, v);
    return all;
  }

  const schedule = (): Promise<Map<K, V>> => {
    const after = running ?? new Promise<void>((resolve) => setImmediate(resolve));
    return after.then(() => {
      const keys = [...due];
      due = new Set();
      next = undefined;
      const call = keys.length <= most ? run(keys) : inChunks(keys);
      const settled = call.then(
        () => undefined,
        () => undefined,
      );
      running = settled;
      void settled.then(() => {
        if (running === settled) running = undefined;
      });
      return call;
    });
  };

  return async (keys) => {
    if (keys.length === 0) return new Map();
    for (const k of keys) due.add(k);
    const all = await (next ??= schedule());
    const mine = new Map<K, V>();
    for (const k of keys) if (all.has(k)) mine.set(k, all.get(k)!);
    return mine;
  };
}
