import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ── Module boundaries (docs/ARCHITECTURE.md) ─────────────────────────────────────────────────
// A module is used from outside only through its public face, modules/<m>/index.ts: another
// module imports '../<m>' (or '../<m>/index'), never '../<m>/<m>.repository', '.schemas',
// '.service', '.views' or any other internal file. realtime/ and jobs/ likewise import
// 'modules/<m>' only; shared/ imports no module at all. The composition root (container.ts,
// app.ts, server.ts) wires the modules through their composition functions (<m>.module.ts) and
// may import their internals; tests may too.
const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Another module's internals, except the specifiers in `allowed` (the allowlist below). */
const otherModuleInternals = (allowed = []) => ({
  // '../' once from a module's own files, more from its subfolders (orders/domain/);
  // shared/, integrations/, realtime/ and jobs/ are not modules.
  regex: `^${allowed.map((a) => `(?!${escapeRegex(a)}$)`).join('')}(\\.\\./)+(?!(shared|integrations|realtime|jobs)/)(?!\\.)[^/]+/(?!index$)`,
  message: "Import another module through its public face ('../<module>', i.e. its index.ts), never its internal files.",
});
const moduleInternalsFromOutside = (allowed = []) => ({
  regex: `^${allowed.map((a) => `(?!${escapeRegex(a)}$)`).join('')}(\\.\\./)+modules/[^/]+/(?!index$)`,
  message: "Import a module through its public face ('../modules/<module>', i.e. its index.ts), never its internal files.",
});
// The container is the composition root: nothing it builds imports it back. Realtime, jobs, socket
// features and modules receive the ports they use (RealtimeDeps, a module's deps), not the container.
const theContainer = {
  regex: '^(\\.\\.?/)+container$',
  message:
    "Take the ports you use as parameters (see RealtimeDeps, a module function's deps); only main, server and tests hold the container.",
};
const anyModule = (allowed = []) => ({
  regex: `^${allowed.map((a) => `(?!${escapeRegex(a)}$)`).join('')}(\\.\\./)+modules/`,
  message: 'shared/ imports no module: modules depend on shared, not the other way round.',
});

/**
 * Known violators, each with exactly the imports it still makes. This list may only shrink: the
 * rule holds for every other import of these files and for every other file.
 */
const BOUNDARY_ALLOWLIST = {};

// Services run use cases; repositories own the SQL. A service (or a use-case file under
// <m>/domain/) never calls knex (db(…), trx(…), d.db(…), db.raw …) nor imports it as a value
// (types such as Knex.Transaction are fine): the transaction itself (db.transaction) is the
// service's to open.
const KNEX_HANDLE = '/^(db|trx|tx|t|knex)$/';
const noKnexInServices = [
  {
    selector: `CallExpression[callee.type='Identifier'][callee.name=${KNEX_HANDLE}]`,
    message: "Services don't query: move the query to the module's repository (camelCase in and out).",
  },
  {
    selector: `CallExpression[callee.type='MemberExpression'][callee.property.name=${KNEX_HANDLE}]`,
    message: "Services don't query: move the query to the module's repository (camelCase in and out).",
  },
  {
    selector: `MemberExpression[object.name=${KNEX_HANDLE}][property.name=/^(raw|fn|schema|select|from|table|insert|update|del|delete|where)$/]`,
    message: "Services don't query: move the query to the module's repository (camelCase in and out).",
  },
  {
    selector: "ImportDeclaration[source.value='knex'][importKind='value']",
    message: 'Services use knex types only (Knex.Transaction); queries live in repositories.',
  },
];

// Each table has one owning module (docs/ARCHITECTURE.md, "Modules and the tables they own"):
// only that module's repositories (and views) name it. Another module's table named in a
// repository — `trx('users')`, `.join('orders', …)`, `'electricians.rating'` — fails the build;
// the repository goes through the owner's port instead (profiles by id, a keyword subquery, …).
const TABLE_OWNERS = {
  auth: ['refresh_tokens', 'sms_codes'],
  users: ['users', 'account_deletions'],
  addresses: ['addresses'],
  electricians: ['electricians'],
  files: ['uploads'],
  orders: ['orders', 'order_events', 'order_quotes'],
  dispatch: ['dispatch_offers'],
  payments: ['payments', 'refunds'],
  finance: [],
  reviews: ['reviews', 'review_reactions'],
  chat: ['conversations', 'conversation_participants', 'chat_messages'],
  messages: ['notifications', 'subscriptions', 'subscribe_outbox'],
  complaints: ['complaints', 'complaint_events'],
  staff: ['audit_logs', 'staff_login_failures'],
  inventory: ['catalog_items', 'warehouses', 'stock_balances', 'stock_movements', 'parts_requests', 'parts_request_items'],
  payouts: ['wallet_balances', 'wallet_ledger', 'withdrawals'],
};
// Tables of shared/ and integrations/ (the event outbox, idempotency keys, WeChat tokens): no module's repository names them.
const SHARED_TABLES = ['event_outbox', 'idempotency_keys', 'wechat_tokens'];
const ALL_TABLES = [...Object.values(TABLE_OWNERS).flat(), ...SHARED_TABLES];
const foreignTables = ([owner, own]) => ({
  files: [`api/src/modules/${owner}/**/*.repository.ts`, `api/src/modules/${owner}/**/*.views.ts`],
  ignores: ['**/__tests__/**'],
  rules: {
    'no-restricted-syntax': [
      'error',
      {
        // A string that is another module's table, or one of its columns (`users.phone`, `orders.*`).
        selector: `Literal[value=/^(${ALL_TABLES.filter((t) => !own.includes(t)).join('|')})(\\.[a-z_*]+)?$/]`,
        message: `The ${owner} module does not own this table: go through its owner's port (docs/ARCHITECTURE.md, "Ports between modules").`,
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'admin/dist/',
      'data/',
      'coverage/',
      '.tmp/',
      'bench/results/',
      'miniprogram/miniprogram_npm/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The ops console (admin/) runs in the browser.
    files: ['admin/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The mini-program runs in WeChat's JS engine: its globals are App, Page, Component, wx, getApp.
    files: ['miniprogram/**/*.ts'],
    languageOptions: {
      globals: {
        App: 'readonly',
        Page: 'readonly',
        Component: 'readonly',
        Behavior: 'readonly',
        wx: 'readonly',
        getApp: 'readonly',
        getCurrentPages: 'readonly',
      },
    },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['api/src/modules/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [otherModuleInternals(), theContainer] }] },
  },
  {
    files: ['api/src/realtime/**/*.ts', 'api/src/jobs/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [moduleInternalsFromOutside(), theContainer] }] },
  },
  {
    files: ['api/src/shared/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [anyModule()] }] },
  },
  ...Object.entries(BOUNDARY_ALLOWLIST).map(([file, allowed]) => ({
    files: [file],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            file.startsWith('api/src/shared/')
              ? anyModule(allowed)
              : file.startsWith('api/src/modules/')
                ? otherModuleInternals(allowed)
                : moduleInternalsFromOutside(allowed),
          ],
        },
      ],
    },
  })),
  ...Object.entries(TABLE_OWNERS).map(foreignTables),
  {
    // Use cases: services, and the use-case files a large service is split into (orders/domain/).
    // Realtime queries nothing either: it reads through the ports in RealtimeDeps.
    files: ['api/src/modules/**/*.service.ts', 'api/src/modules/*/domain/**/*.ts', 'api/src/realtime/**/*.ts'],
    ignores: ['**/__tests__/**'],
    rules: { 'no-restricted-syntax': ['error', ...noKnexInServices] },
  },
);
