/**
 * npx tsx bench/profile-summary.ts <file.cpuprofile> [rate] — where a server's CPU went while it was
 * loaded, from a profile written by `BENCH_PROFILE=1`.
 *
 * The window is the last run of whole seconds in which the server was busy at least 70 % of the
 * time (a scenario's load phase; the start-up and the ceilings' phases are left out). Each sample
 * is put in a category by its own frame, or for native and Node-core frames by the first caller
 * that says whose work it is (a socket write under mysql2 is the database's). With `rate`, the
 * requests (or orders) per second the bench reported for that phase, it also prints the CPU per
 * request in microseconds.
 */
import fs from 'node:fs';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const BUSY = 0.7;

/** Packages by category, matched against a frame's URL. */
const PACKAGES: [RegExp, string][] = [
  [/node_modules\/(knex|tarn)\//, 'database: knex'],
  // mysql2 and the packages it calls on our queries (escaping, its statement cache, queue, numbers, decoding).
  [/node_modules\/(mysql2|sql-escaper|lru\.min|denque|long|iconv-lite|generate-function)\//, 'database: mysql2'],
  [/node_modules\/better-sqlite3\//, 'database: better-sqlite3'],
  [/node_modules\/(socket\.io|socket\.io-parser|socket\.io-adapter|engine\.io|engine\.io-parser|ws)\//, 'socket.io'],
  [
    /node_modules\/(pino|pino-http|pino-std-serializers|sonic-boom|fast-redact|quick-format-unescaped|safe-stable-stringify|thread-stream|@pinojs\/[^/]+)\//,
    'logging',
  ],
  [/node_modules\/zod\//, 'validation (zod)'],
  [/node_modules\/(jsonwebtoken|jws|jwa|bcryptjs)\//, 'auth libraries'],
  [/node_modules\/prom-client\//, 'metrics'],
  [/node_modules\//, 'other packages (express, middleware, …)'],
];

/** Callers that make a native or Node-core frame theirs. */
const OWNERS: [RegExp, string][] = [
  [/node_modules\/(mysql2|knex|better-sqlite3)\//, 'database'],
  [/node_modules\/(socket\.io|engine\.io|ws)\//, 'socket.io'],
  [/node:_http_|node:http/, 'http'],
  [/\/api\/src\//, 'app'],
];

/** The summary of profile `p` as Markdown lines; `rate`: requests per second in its loaded window. */
export function summarize(p: Profile, rate?: number): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const callers = function* (id: number) {
    for (let x = parent.get(id); x !== undefined; x = parent.get(x)) yield byId.get(x)!.callFrame.url;
  };
  const categories = new Map<number, string>();
  const categoryOf = (id: number): string => {
    const known = categories.get(id);
    if (known) return known;
    const { functionName: name, url } = byId.get(id)!.callFrame;
    let category: string;
    if (name === '(idle)') category = 'idle';
    else if (name === '(garbage collector)') category = 'garbage collector';
    else if (url.includes('/api/src/'))
      category = `app: ${url
        .replace(/.*\/api\/src\//, '')
        .split('/')
        .slice(0, 2)
        .join('/')}`;
    else if (url.includes('node_modules/')) category = PACKAGES.find(([re]) => re.test(url))![1];
    else {
      let owner = 'unattributed';
      for (const u of callers(id)) {
        const hit = OWNERS.find(([re]) => re.test(u));
        if (hit) {
          owner = hit[1];
          break;
        }
      }
      const what =
        name === 'writeBuffer' || name === 'writev' ? 'socket writes' : url.startsWith('node:') ? 'Node core' : 'native';
      category = `${owner}: ${what}`;
    }
    categories.set(id, category);
    return category;
  };

  // Whole seconds since the profile began, and how busy each was.
  let at = p.startTime;
  const second = p.timeDeltas.map((d) => Math.floor(((at += d) - p.startTime) / 1e6));
  const seconds = new Map<number, { busy: number; all: number }>();
  p.samples.forEach((id, i) => {
    const s = seconds.get(second[i]!) ?? { busy: 0, all: 0 };
    s.all += p.timeDeltas[i]!;
    if (byId.get(id)!.callFrame.functionName !== '(idle)') s.busy += p.timeDeltas[i]!;
    seconds.set(second[i]!, s);
  });
  const loaded = [...seconds].filter(([, s]) => s.busy / s.all >= BUSY).map(([s]) => s);
  if (loaded.length === 0) throw new Error('no second with the server busy 70 % of the time');
  // The last run of loaded seconds, without its first and last (partly outside the load).
  let last = Math.max(...loaded);
  let first = last;
  while (loaded.includes(first - 1)) first--;
  if (last - first >= 2) {
    first++;
    last--;
  }

  const spent = new Map<string, number>();
  let all = 0;
  p.samples.forEach((id, i) => {
    if (second[i]! < first || second[i]! > last) return;
    const d = p.timeDeltas[i]!;
    all += d;
    const c = categoryOf(id);
    spent.set(c, (spent.get(c) ?? 0) + d);
  });
  const busy = all - (spent.get('idle') ?? 0);
  const units = rate === undefined ? undefined : rate * (last - first + 1);
  const lines = [
    `window: seconds ${first}–${last} of the profile, ${(all / 1e6).toFixed(1)} s, busy ${((100 * busy) / all).toFixed(0)} %` +
      (units ? `, ${Math.round(busy / units)} µs per request at ${rate}/s` : ''),
    '',
    `| category | share of the window |${units ? ' µs per request |' : ''}`,
    `|---|--:|${units ? '--:|' : ''}`,
    ...[...spent]
      .sort((a, b) => b[1] - a[1])
      .filter(([, d]) => d / all >= 0.003)
      .map(([c, d]) => `| ${c} | ${((100 * d) / all).toFixed(1)} % |${units ? ` ${Math.round(d / units)} |` : ''}`),
  ];
  const database = [...spent].filter(([c]) => c.startsWith('database')).reduce((sum, [, d]) => sum + d, 0);
  const per = (d: number) => (units ? `${Math.round(d / units)} µs per request` : `${((100 * d) / all).toFixed(1)} %`);
  lines.push(
    '',
    `database client (knex, the driver, their socket writes): ${per(database)}; everything else busy: ${per(busy - database)}`,
  );
  return lines;
}

if (require.main === module) {
  const [file, rate] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [requests per second]\n');
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  process.stdout.write(summarize(profile, rate ? Number(rate) : undefined).join('\n') + '\n');
}
