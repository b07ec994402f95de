/**
 * The API contract: the OpenAPI document the route table generates, and the client types
 * openapi-typescript generates from it.
 *   npm run openapi            writes docs/openapi.json, admin/src/api/schema.ts, miniprogram/services/api-types.ts
 *   npm run openapi:check      fails (listing the files) if any of them differs from what the route table
 *                              generates now, then lints the document with Redocly (redocly.yaml)
 * The app is built as `npm run dev` builds it, on an in-memory database, and never listens.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { OpenAPI3 } from 'openapi-typescript';
import prettier from 'prettier';
import { createApp } from '../api/src/app';
import { loadConfig } from '../api/src/config';
import { createContainer } from '../api/src/container';

const ROOT = path.resolve(__dirname, '..');
export const DOCUMENT = 'docs/openapi.json';
/** The generated types: one copy per client (the mini-program compiles only its own folder). */
export const TYPES = ['admin/src/api/schema.ts', 'miniprogram/services/api-types.ts'];

const HEADER = `/**
 * Generated from ${DOCUMENT} by \`npm run openapi\` (openapi-typescript); do not edit.
 * \`npm run lint\` fails when this file is stale.
 */

`;

/** The document as GET /api/openapi.json serves it in development (dev pay mode's route included). */
export async function generateDocument(): Promise<object> {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: 'sqlite::memory:' });
  const c = createContainer(config);
  try {
    return createApp(c).locals.openApiDocument as object;
  } finally {
    await c.db.destroy();
  }
}

async function format(file: string, text: string): Promise<string> {
  const options = await prettier.resolveConfig(path.join(ROOT, file));
  return prettier.format(text, { ...options, filepath: file });
}

/** Every generated file, by its path from the repository root, formatted as committed. */
export async function generate(): Promise<Map<string, string>> {
  const document = await generateDocument();
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const types = HEADER + astToString(await openapiTS(document as OpenAPI3, { rootTypes: true, rootTypesNoSchemaPrefix: true }));
  const files = new Map<string, string>([[DOCUMENT, await format(DOCUMENT, JSON.stringify(document))]]);
  for (const file of TYPES) files.set(file, await format(file, types));
  return files;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const files = await generate();
  if (!check) {
    for (const [file, text] of files) fs.writeFileSync(path.join(ROOT, file), text);
    process.stdout.write(`wrote ${[...files.keys()].join(', ')}\n`);
    return;
  }
  const stale = [...files].filter(([file, text]) => {
    const full = path.join(ROOT, file);
    return !fs.existsSync(full) || fs.readFileSync(full, 'utf8') !== text;
  });
  if (stale.length > 0) {
    process.stderr.write(
      `The API contract is stale (the route table changed): ${stale.map(([f]) => f).join(', ')}\n` +
        'Run `npm run openapi` and commit the result.\n',
    );
    process.exitCode = 1;
  } else process.stdout.write(`up to date: ${[...files.keys()].join(', ')}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
