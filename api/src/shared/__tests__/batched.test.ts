import { describe, expect, it } from 'vitest';
import { batched } from '../batched';

/** A run whose calls are recorded and settled by the test: `calls[i]` holds the keys of the i-th run. */
function controlled(most?: number) {
  const calls: { keys: number[]; resolve: () => void; reject: (e: Error) => void }[] = [];
  /** The value the store holds for each key when a run reads it. */
  const store = new Map<number, string>();
  const run = (keys: number[]) =>
    new Promise<Map<number, string>>((resolve, reject) => {
      const read = new Map(keys.filter((k) => store.has(k)).map((k) => [k, store.get(k)!]));
      calls.push({ keys, resolve: () => resolve(read), reject });
    });
  return { calls, store, load: batched(run, most) };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('batched', () => {
  it('when callers ask in the same turn, then one run reads all their keys, and each gets its own', async () => {
    const { calls, store, load } = controlled();
    store.set(1, 'a').set(2, 'b').set(3, 'c');
    const first = load([1, 2]);
    const second = load([2, 3, 4]);
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([[1, 2, 3, 4]]);
    calls[0]!.resolve();
    expect([...(await first)]).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    // A key the run did not find is left out, as the run left it.
    expect([...(await second)]).toEqual([
      [2, 'b'],
      [3, 'c'],
    ]);
  });

  it('when a caller asks while a run is in flight, then it waits for the next run, which reads what changed meanwhile', async () => {
    const { calls, store, load } = controlled();
    store.set(1, 'old');
    const early = load([1]);
    await turn();
    expect(calls).toHaveLength(1);
    // Committed after the first run began to read: a caller who asks now must not get its answer.
    store.set(1, 'new');
    const late = load([1]);
    const later = load([1, 5]);
    await turn();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve();
    expect((await early).get(1)).toBe('old');
    await turn();
    // Both late callers went together, in one run that began after the first ended.
    expect(calls.map((c) => c.keys)).toEqual([[1], [1, 5]]);
    calls[1]!.resolve();
    expect((await late).get(1)).toBe('new');
    expect((await later).get(1)).toBe('new');
  });

  it('when a run fails, then its callers fail, and the next callers get a run of their own', async () => {
    const { calls, store, load } = controlled();
    store.set(7, 'x');
    const failing = load([7]);
    await turn();
    calls[0]!.reject(new Error('gone'));
    await expect(failing).rejects.toThrow('gone');
    const next = load([7]);
    await turn();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve();
    expect((await next).get(7)).toBe('x');
  });

  it('when asked for no keys, then it answers at once without a run', async () => {
    const { calls, load } = controlled();
    expect(await load([])).toEqual(new Map());
    await turn();
    expect(calls).toEqual([]);
  });

  it('when more keys are due than a statement takes, then they go in several runs one after another, and every caller gets all of its own', async () => {
    const { calls, store, load } = controlled(2);
    for (const k of [1, 2, 3, 4, 5]) store.set(k, `v${k}`);
    const a = load([1, 2, 3]);
    const b = load([4, 5]);
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([[1, 2]]);
    calls[0]!.resolve();
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    calls[1]!.resolve();
    await turn();
    calls[2]!.resolve();
    expect(calls.map((c) => c.keys)).toEqual([[1, 2], [3, 4], [5]]);
    expect([...(await a).values()]).toEqual(['v1', 'v2', 'v3']);
    expect([...(await b).values()]).toEqual(['v4', 'v5']);
  });
});
