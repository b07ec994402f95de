/** Latency samples in milliseconds → the figures every table row shows. */
export function summarize(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN);
  return { count: s.length, median: at(0.5), p95: at(0.95), p99: at(0.99), max: s.at(-1) ?? NaN };
}

export interface Row {
  scenario: string;
  concurrency: number;
  requests: number;
  median: number;
  p95: number;
  p99: number;
  throughput: number;
  ceiling?: number;
  ratio?: number;
  note?: string;
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));

export function printTable(rows: Row[]): void {
  const header = ['scenario', 'conc', 'requests', 'median ms', 'p95 ms', 'p99 ms', 'req/s', 'ceiling req/s', 'ratio', 'note'];
  const lines = rows.map((r) => [
    r.scenario,
    String(r.concurrency),
    String(r.requests),
    fmt(r.median, 2),
    fmt(r.p95, 2),
    fmt(r.p99, 2),
    fmt(r.throughput, 0),
    fmt(r.ceiling, 0),
    r.ratio === undefined ? '-' : `${(r.ratio * 100).toFixed(0)}%`,
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`${[line(header), line(widths.map((w) => '-'.repeat(w))), ...lines.map(line)].join('\n')}\n`);
}

/**
 * Runs `task` with `concurrency` workers (each passing its number, 0…concurrency-1) until `durationMs`
 * has passed; returns latencies and rate.
 */
export async function closedLoop(task: (worker: number) => Promise<unknown>, concurrency: number, durationMs: number) {
  const samples: number[] = [];
  const end = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await task(worker);
        samples.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...summarize(samples), throughput: samples.length / seconds };
}
