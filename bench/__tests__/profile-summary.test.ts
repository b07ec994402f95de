import { describe, expect, it } from 'vitest';
import { summarize, type Profile, type ProfileNode } from '../profile-summary';

const node = (id: number, functionName: string, url: string, children: number[] = []): ProfileNode => ({
  id,
  callFrame: { functionName, url },
  children,
});

/**
 * A server's profile, one sample every 10 ms: busy starting up in second 0, idle in seconds 1–3, loaded in
 * seconds 4–10 (each second: 40 % socket writes under mysql2, 20 % knex, 10 % mysql2, 10 % the app, 5 %
 * garbage collection, 5 % an HTTP response's writev, 10 % idle), idle again in second 11.
 */
function profile(): Profile {
  const nodes = [
    node(1, '(root)', '', [2, 3, 4, 9]),
    node(2, '(idle)', ''),
    node(3, '(garbage collector)', ''),
    node(4, 'createOrder', 'file:///srv/api/src/modules/orders/domain/placing.ts', [5]),
    node(5, 'runner', 'file:///srv/node_modules/knex/lib/execution/runner.js', [6]),
    node(6, 'write', 'file:///srv/node_modules/mysql2/lib/base/connection.js', [7]),
    node(7, 'writeBuffer', ''),
    node(9, 'end', 'node:_http_outgoing', [10]),
    node(10, 'writev', ''),
  ];
  const loadedSecond = [
    ...Array<number>(40).fill(7),
    ...Array<number>(20).fill(5),
    ...Array<number>(10).fill(6),
    ...Array<number>(10).fill(4),
    ...Array<number>(5).fill(3),
    ...Array<number>(5).fill(10),
    ...Array<number>(10).fill(2),
  ];
  const samples = [
    ...Array<number>(100).fill(4),
    ...Array<number>(300).fill(2),
    ...Array.from({ length: 7 }, () => loadedSecond).flat(),
    ...Array<number>(100).fill(2),
  ];
  // The first sample is taken 10 ms after the start: shift by one so each second has its hundred.
  return { nodes, startTime: 0, samples, timeDeltas: samples.map((_, i) => (i === 0 ? 0 : 10_000)) };
}

describe('bench/profile-summary', () => {
  it('when given a profile and the rate of its load, then it sums the loaded seconds by category, per request', () => {
    const lines = summarize(profile(), 100);
    // Seconds 4–10 were loaded; their first and last are left out as partly outside the load.
    expect(lines[0]).toBe('window: seconds 5–9 of the profile, 5.0 s, busy 90 %, 9000 µs per request at 100/s');
    expect(lines).toContain('| database: socket writes | 40.0 % | 4000 |');
    expect(lines).toContain('| database: knex | 20.0 % | 2000 |');
    expect(lines).toContain('| database: mysql2 | 10.0 % | 1000 |');
    expect(lines).toContain('| app: modules/orders | 10.0 % | 1000 |');
    expect(lines).toContain('| http: socket writes | 5.0 % | 500 |');
    expect(lines).toContain('| garbage collector | 5.0 % | 500 |');
    expect(lines.at(-1)).toBe(
      'database client (knex, the driver, their socket writes): 7000 µs per request; everything else busy: 2000 µs per request',
    );
  });

  it('when given no rate, then it gives shares of the window only', () => {
    const lines = summarize(profile());
    expect(lines[0]).toBe('window: seconds 5–9 of the profile, 5.0 s, busy 90 %');
    expect(lines).toContain('| database: socket writes | 40.0 % |');
    expect(lines.at(-1)).toBe('database client (knex, the driver, their socket writes): 70.0 %; everything else busy: 20.0 %');
  });

  it('when the server was never loaded, then it says so', () => {
    const idle = profile();
    idle.samples = idle.samples.map(() => 2);
    expect(() => summarize(idle)).toThrow('no second with the server busy 70 % of the time');
  });
});
