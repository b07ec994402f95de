import autocannon from 'autocannon';
import type { Config } from '../../api/src/config';
import type { Db } from '../../api/src/db';
import { summarize } from './stats';
import type { BenchWorld } from './seed';

export interface BenchContext {
  url: string;
  db: Db;
  config: Config;
  world: BenchWorld;
  seconds: number;
  /** RSS of the API process in MB, when readable. */
  apiRssMb(): number | null;
}

export interface CannonRequest {
  method: 'GET' | 'POST';
  /** Called for every request: path, headers and body may differ each time. */
  build(): { path: string; headers: Record<string, string>; body?: string };
}

/** autocannon against the API, with every response time kept so medians and p95 are exact. */
export async function cannon(url: string, connections: number, seconds: number, req: CannonRequest) {
  const samples: number[] = [];
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
  };
}
