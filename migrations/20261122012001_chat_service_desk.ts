import type { Knex } from 'knex';

/**
 * Chat for the smart customer service (SPEC 3.11): a message says who wrote it as what
 * (`sender_role`: customer | electrician | admin for people, `bot` for the knowledge base's
 * answers, `system`), and carries a small JSON `meta` (the articles a bot answer quoted, the
 * complaint a conversation turned into). A customer-service conversation has a `status` — `bot`
 * until the customer asks for a person, `waiting_agent`, then `with_agent` once an agent picks it
 * up (`assignee_id`, when) — order conversations have none.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('chat_messages', (t) => {
    t.string('sender_role', 20).nullable();
    t.json('meta').nullable();
  });
  await knex.schema.alterTable('conversations', (t) => {
    t.string('status', 20).nullable();
    t.datetime('escalated_at', { precision: 3 }).nullable();
    t.datetime('assigned_at', { precision: 3 }).nullable();
  });
  if (sqlite(knex)) {
    // knex would add a SQLite foreign key by copying the table, which the tables referencing
    // conversations refuse once there is data; SQLite adds a nullable one in place.
    await knex.raw('ALTER TABLE conversations ADD COLUMN assignee_id integer NULL REFERENCES users (id)');
  } else {
    await knex.schema.alterTable('conversations', (t) => {
      t.integer('assignee_id').unsigned().nullable().references('id').inTable('users');
    });
  }
  // Messages written before this: the sender's role in the conversation, else a system line.
  await knex('chat_messages').update({
    sender_role: knex.raw(
      `coalesce((select cp.role from conversation_participants cp where cp.conversation_id = chat_messages.conversation_id and cp.user_id = chat_messages.sender_id), 'system')`,
    ),
  });
  await knex('conversations').where({ kind: 'service' }).update({ status: 'bot' });
}

export async function down(knex: Knex): Promise<void> {
  if (sqlite(knex)) {
    // SQLite ≥ 3.35 drops a column in place, without knex's table copy.
    for (const column of ['assigned_at', 'escalated_at', 'assignee_id', 'status'])
      await knex.raw(`ALTER TABLE conversations DROP COLUMN ${column}`);
    for (const column of ['meta', 'sender_role']) await knex.raw(`ALTER TABLE chat_messages DROP COLUMN ${column}`);
    return;
  }
  await knex.schema.alterTable('conversations', (t) => {
    t.dropForeign(['assignee_id']);
    t.dropColumn('assigned_at');
    t.dropColumn('escalated_at');
    t.dropColumn('assignee_id');
    t.dropColumn('status');
  });
  await knex.schema.alterTable('chat_messages', (t) => {
    t.dropColumn('meta');
    t.dropColumn('sender_role');
  });
}

const sqlite = (knex: Knex) => knex.client.config.client === 'better-sqlite3';
