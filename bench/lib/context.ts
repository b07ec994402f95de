import fs from 'node:fs';
import autocannon from 'autocannon';
import type { Config } from '../../api/src/config';
import type { Db } from '../../api/src/db';
import { summarize, type Row } from './stats';
import type { BenchWorld } from './seed';

export interface BenchContext {
  url: string;
  db: Db;
  config: Config;
  world: BenchWorld;
  seconds: number;
  /** RSS of the API process in MB, when readable. */
  apiRssMb(): number | null;
  /** The API process's id: what it spends on the CPU is read from /proc (`cpuMsOf`). */
  apiPid: number | undefined;
}

/** Linux's clock ticks per second, in which /proc/<pid>/stat counts CPU time. */
const CLOCK_TICKS = 100;

/**
 * CPU time (user + system, ms) a process has used so far, from /proc; undefined where unreadable.
 * On a shared machine throughput moves with the neighbours, the CPU a server spends per request
 * much less: the rows that load one server say it next to their rates.
 */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (which may hold spaces, inside parentheses): utime is the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** `server CPU N µs/req` for a note, from CPU ms read before and after `requests` requests. */
function cpuNote(before: number | undefined, after: number | undefined, requests: number): string {
  if (before === undefined || after === undefined || requests === 0) return '';
  return `server CPU ${Math.round(((after - before) * 1000) / requests)} µs/req`;
}

export interface CannonRequest {
  method: 'GET' | 'POST';
  /** Called for every request: path, headers and body may differ each time. */
  build(): { path: string; headers: Record<string, string>; body?: string };
}

/**
 * autocannon against the API, with every response time kept so medians and p95 are exact; with
 * `pid`, the server's CPU per request as well (`cpu`, a note).
 */
export async function cannon(url: string, connections: number, seconds: number, req: CannonRequest, pid?: number) {
  const samples: number[] = [];
  const cpuBefore = cpuMsOf(pid);
  let non2xx = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        requests: [{ method: req.method, setupRequest: (r: autocannon.Request) => ({ ...r, ...req.build() }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      samples.push(responseTime);
      if (status < 200 || status >= 300) non2xx++;
    });
  });
  return {
    ...summarize(samples),
    throughput: result.requests.total / (result.duration || seconds),
    requests: result.requests.total,
    non2xx,
    errors: result.errors,
    cpu: cpuNote(cpuBefore, cpuMsOf(pid), result.requests.total),
  };
}

/** What `cannon` measured. */
export type Load = Awaited<ReturnType<typeof cannon>>;

/**
 * The table's row for a load: its rates, its ratio to `ceiling` when one is given, and its notes
 * (the server's CPU per request, failed answers, then `extra`).
 */
export function loadRow(scenario: string, r: Load, connections: number, ceiling?: number, ...extra: string[]): Row {
  return {
    scenario,
    concurrency: connections,
    requests: r.requests,
    median: r.median,
    p95: r.p95,
    p99: r.p99,
    throughput: r.throughput,
    ...(ceiling ? { ceiling, ratio: r.throughput / ceiling } : {}),
    note: [r.cpu, r.non2xx || r.errors ? `${r.non2xx} non-2xx, ${r.errors} errors` : '', ...extra].filter(Boolean).join('; '),
  };
}
