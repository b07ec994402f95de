import { randomUUID } from 'node:crypto';
import { createChatRepository } from '../../api/src/modules/chat/chat.repository';
import type { BenchContext } from '../lib/context';
import { call, inPool } from '../lib/http';
import { pendingOrders, type Actor } from '../lib/seed';
import { closeAll, connectAll, type BenchSocket } from '../lib/sockets';
import { closedLoop, summarize, type Row } from '../lib/stats';

const CONVERSATIONS = 200;
const TEXT = '师傅您好，我大概下午三点到家，麻烦到了先打个电话';

interface Pair {
  conversationId: number;
  customer: Actor;
  electrician: Actor;
}

/** 200 accepted orders, each with its conversation between customer and electrician (opened by the API on grab). */
async function conversations(ctx: BenchContext): Promise<Pair[]> {
  const { customers } = ctx.world;
  const electricians = ctx.world.electricians.slice(-CONVERSATIONS);
  const ids = await pendingOrders(
    ctx.db,
    electricians.map((_, i) => customers[i % customers.length]!.userId),
  );
  await inPool(ids, 20, (id, i) => call(ctx.url, electricians[i]!.token, 'POST', `/api/orders/${id}/grab`));
  // The conversation is opened after the grab commits, off the request path: wait for all of them.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows: { id: number; order_id: number }[] = await ctx
      .db('conversations')
      .whereIn('order_id', ids)
      .select('id', 'order_id');
    const joined = await ctx
      .db('conversation_participants')
      .whereIn(
        'conversation_id',
        rows.map((r) => r.id),
      )
      .count({ n: '*' })
      .first();
    if (rows.length === ids.length && Number(joined?.n) === 2 * ids.length) {
      const byOrder = new Map(rows.map((r) => [Number(r.order_id), Number(r.id)]));
      return ids.map((id, i) => ({
        conversationId: byOrder.get(id)!,
        customer: customers[i % customers.length]!,
        electrician: electricians[i]!,
      }));
    }
    if (Date.now() > deadline) throw new Error(`chat: only ${rows.length}/${ids.length} conversations opened`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether `p` settles within `ms`. */
function within(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * 200 conversations talking over sockets at once: in each, one side sends (`send_message`) and the
 * next message goes when the other side's socket has received it (`new-message`). Latency is send →
 * delivered to the other participant. The ceiling is what the service does for a send through the
 * chat repository (conversation, membership, clientId check, the insert transaction, read-back,
 * participants) in a loop.
 */
export async function run(ctx: BenchContext): Promise<Row[]> {
  const pairs = await conversations(ctx);

  const chat = createChatRepository(ctx.db);
  let k = 0;
  const raw = await closedLoop(
    async () => {
      const p = pairs[k++ % pairs.length]!;
      const sender = k % 2 ? p.customer : p.electrician;
      const clientId = randomUUID();
      await chat.findById(p.conversationId);
      await chat.participant(p.conversationId, sender.userId);
      await chat.findByClientId(sender.userId, clientId);
      const id = await ctx.db.transaction((trx) =>
        chat.insertMessage(
          {
            conversationId: p.conversationId,
            senderId: sender.userId,
            senderRole: k % 2 ? 'customer' : 'electrician',
            type: 'text',
            content: TEXT,
            clientId,
          },
          new Date(),
          trx,
        ),
      );
      await chat.findMessage(id);
      await chat.participants(p.conversationId);
    },
    50,
    ctx.seconds * 1000,
  );

  const users = [...new Map(pairs.flatMap((p) => [p.customer, p.electrician]).map((a) => [a.userId, a])).values()];
  const sockets = await connectAll(
    ctx.url,
    users.map((u) => u.token),
  );
  const socketOf = new Map(users.map((u, i) => [u.userId, sockets[i]!]));
  const delivered = new Map<string, { to: BenchSocket; done: () => void }>();
  for (const s of sockets) {
    s.on('new-message', (m) => {
      const waiting = m.clientId ? delivered.get(m.clientId) : undefined;
      if (waiting?.to === s) waiting.done();
    });
  }

  const samples: number[] = [];
  let failed = 0;
  let firstError = '';
  const end = performance.now() + ctx.seconds * 1000;
  const started = performance.now();
  try {
    await Promise.all(
      pairs.map(async (p) => {
        for (let turn = 0; performance.now() < end; turn++) {
          const [from, to] = turn % 2 ? [p.electrician, p.customer] : [p.customer, p.electrician];
          const clientId = randomUUID();
          const t0 = performance.now();
          const arrived = new Promise<void>((done) => delivered.set(clientId, { to: socketOf.get(to.userId)!, done }));
          const ack = await socketOf
            .get(from.userId)!
            .timeout(30_000)
            .emitWithAck('send_message', { conversationId: p.conversationId, type: 'text', content: TEXT, clientId });
          if (!ack.ok) {
            failed++;
            firstError ||= `${ack.error.code} ${ack.error.message}`;
            delivered.delete(clientId);
            continue;
          }
          if (await within(arrived, 30_000)) samples.push(performance.now() - t0);
          else {
            failed++;
            firstError ||= 'not delivered within 30 s';
          }
          delivered.delete(clientId);
        }
      }),
    );
  } finally {
    closeAll(sockets);
  }
  const seconds = (performance.now() - started) / 1000;
  const api = summarize(samples);

  return [
    {
      scenario: 'chat: raw knex send (ceiling)',
      concurrency: 50,
      requests: raw.count,
      median: raw.median,
      p95: raw.p95,
      p99: raw.p99,
      throughput: raw.throughput,
    },
    {
      scenario: `chat: ${pairs.length} conversations, send → delivered`,
      concurrency: pairs.length,
      requests: samples.length,
      median: api.median,
      p95: api.p95,
      p99: api.p99,
      throughput: samples.length / seconds,
      ceiling: raw.throughput,
      ratio: samples.length / seconds / raw.throughput,
      note: `messages/s; ${users.length} sockets` + (failed ? `; ${failed} FAILED (${firstError})` : ''),
    },
  ];
}
