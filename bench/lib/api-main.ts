/**
 * The API as the benchmarks run it: the real app and server in their own process, configured from
 * the environment like `npm start`, with only the per-client rate limits lifted (a benchmark is one
 * client sending thousands of requests) and the periodic jobs off so they don't add noise.
 */
import { loadConfig } from '../../api/src/config';
import { createContainer } from '../../api/src/container';
import { start } from '../../api/src/server';

async function main(): Promise<void> {
  const config = loadConfig();
  const lifted = 1_000_000_000;
  const unlimited = { capacity: lifted, perSecond: lifted };
  const c = createContainer(config, {
    rateLimits: { login: lifted, refresh: lifted, smsCode: lifted, uploads: lifted, orderCreate: lifted },
    chatSendLimit: { limit: lifted, windowMs: 1_000 },
    socketBuckets: { send_message: unlimited, read: unlimited, typing: unlimited, heartbeat: unlimited },
  });
  const running = await start(c, { jobs: false });
  process.stdout.write(`READY ${running.url}\n`);
  process.on('SIGTERM', () => void running.stop(2_000).then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
