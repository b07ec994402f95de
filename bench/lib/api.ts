import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  rssMb(): number | null;
  stop(): Promise<void>;
}

/** Starts bench/lib/api-main.ts in a child process and waits for it to listen. */
export function startApi(env: Record<string, string>): Promise<ApiProcess> {
  return startServer('bench/lib/api-main.ts', {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
}

/**
 * The node that runs the servers: BENCH_NODE (a path to another node binary, such as Node 24's, the
 * runtime of `engines` and the Dockerfile) or the bench's own.
 */
export const serverNode = () => process.env.BENCH_NODE || process.execPath;

/** Runs a TypeScript server script in a child process until it prints `READY <url>`. */
export async function startServer(script: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  // `node --import tsx` rather than the tsx CLI, which would fork again: the pid must be the server's own.
  // BENCH_PROFILE=1 writes a V8 CPU profile of each server to bench/results/profiles when it stops.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve('bench/results/profiles')}`] : [];
  // BENCH_NODE_FLAGS: more flags for the servers' node (e.g. `--trace-gc`, `--max-semi-space-size=32`).
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(serverNode(), [...profile, ...flags, '--import', 'tsx', path.resolve(script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${out}`)), 60_000);
    const listen = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        // From now on the server's own output (warnings and errors: LOG_LEVEL=warn) goes to our stderr.
        child.stdout!.off('data', listen);
        child.stdout!.pipe(process.stderr);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', listen);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${out}`)));
  });
  return {
    url,
    child,
    rssMb() {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
        return kb ? Math.round(Number(kb) / 1024) : null;
      } catch {
        return null;
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
