/**
 * A MariaDB server of a test's own (a throwaway datadir on a free local port), for tests that must
 * stop and start the database itself — an outage cannot be staged on the shared test server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];
const PATH = [process.env.PATH ?? '', ...SBIN].join(path.delimiter);
const env = { ...process.env, PATH };

export interface PrivateMariadb {
  /** mysql://ci:ci@127.0.0.1:<port>/app */
  url: string;
  /** Kills the server (SIGKILL: a crash, not a clean shutdown) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same datadir and port; resolves when it answers. */
  start(): Promise<void>;
  /**
   * Freezes the server (SIGSTOP): connections stay open and nothing answers, like a network
   * partition. `thaw()` (SIGCONT) lets it go on where it was.
   */
  freeze(): void;
  thaw(): void;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

export const hasMariadb = (): boolean => {
  try {
    execFileSync('mariadbd', ['--version'], { env, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startPrivateMariadb(): Promise<PrivateMariadb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-mariadb-'));
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'mysqld.sock');
  execFileSync(
    'mariadb-install-db',
    ['--no-defaults', '--user=root', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db'],
    { env, stdio: 'ignore' },
  );
  const port = await freePort();
  let child: ChildProcess | undefined;

  const ping = () => {
    try {
      execFileSync('mariadb-admin', ['--no-defaults', `--socket=${sock}`, '-uroot', 'ping'], { env, stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  async function start(): Promise<void> {
    child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        '--user=root',
        `--datadir=${data}`,
        `--socket=${sock}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=32M',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
        '--default-time-zone=+00:00',
      ],
      { env, stdio: 'ignore' },
    );
    const deadline = Date.now() + 30_000;
    while (!ping()) {
      if (child.exitCode !== null) throw new Error(`mariadbd exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('mariadbd did not answer within 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  async function kill(): Promise<void> {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }

  await start();
  execFileSync(
    'mariadb',
    [
      '--no-defaults',
      `--socket=${sock}`,
      '-uroot',
      '-e',
      "CREATE USER 'ci'@'127.0.0.1' IDENTIFIED BY 'ci'; GRANT ALL PRIVILEGES ON *.* TO 'ci'@'127.0.0.1'; CREATE DATABASE app CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;",
    ],
    { env, stdio: 'ignore' },
  );
  return {
    url: `mysql://ci:ci@127.0.0.1:${port}/app`,
    kill,
    start,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    async destroy() {
      child?.kill('SIGCONT');
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
