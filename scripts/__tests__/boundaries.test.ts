import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The module boundaries of docs/ARCHITECTURE.md are ESLint rules (eslint.config.mjs); these cases
 * lint a line of code as if it were in a given file, so a rule that stops failing fails here.
 */
const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('module boundaries', () => {
  it('when a module imports another module, then only its public face is allowed', async () => {
    expect(
      await problems(
        'api/src/modules/reviews/x.ts',
        "import { createOrdersRepository } from '../orders/orders.repository';\nexport const x = createOrdersRepository;\n",
      ),
    ).toEqual([expect.stringContaining('public face')]);
    expect(
      await problems(
        'api/src/modules/reviews/x.ts',
        "import type { OrderReader } from '../orders';\nexport type X = OrderReader;\n",
      ),
    ).toEqual([]);
  });

  it('when realtime, jobs or a module imports the container, then the build fails; the composition root may', async () => {
    const code = "import type { Container } from '../container';\nexport type X = Container;\n";
    expect(await problems('api/src/realtime/x.ts', code)).toEqual([expect.stringContaining('ports you use')]);
    expect(await problems('api/src/jobs/x.ts', code)).toEqual([expect.stringContaining('ports you use')]);
    expect(
      await problems(
        'api/src/modules/chat/x.ts',
        "import type { Container } from '../../container';\nexport type X = Container;\n",
      ),
    ).toEqual([expect.stringContaining('ports you use')]);
    expect(
      await problems('api/src/server.ts', "import type { Container } from './container';\nexport type X = Container;\n"),
    ).toEqual([]);
  });

  it('when a service or the realtime layer queries the database, then the build fails; a repository may', async () => {
    const query =
      "declare const db: (t: string) => { where(o: object): unknown };\nexport const q = () => db('orders').where({ id: 1 });\n";
    expect(await problems('api/src/modules/orders/orders.service.ts', query)).not.toEqual([]);
    expect(await problems('api/src/modules/orders/domain/placing.ts', query)).not.toEqual([]);
    expect(await problems('api/src/realtime/x.ts', query)).not.toEqual([]);
    expect(await problems('api/src/modules/orders/orders.repository.ts', query)).toEqual([]);
  });

  it("when a repository names another module's table or column, then the build fails", async () => {
    const code = (table: string) => `declare const db: (t: string) => unknown;\nexport const q = () => db('${table}');\n`;
    expect(await problems('api/src/modules/reviews/reviews.repository.ts', code('users'))).toEqual([
      expect.stringContaining('does not own'),
    ]);
    expect(await problems('api/src/modules/reviews/reviews.repository.ts', code('orders.order_no'))).toEqual([
      expect.stringContaining('does not own'),
    ]);
    expect(await problems('api/src/modules/reviews/reviews.repository.ts', code('reviews'))).toEqual([]);
  });

  it('when shared/ imports a module, then the build fails', async () => {
    expect(
      await problems('api/src/shared/x.ts', "import type { Order } from '../modules/orders';\nexport type X = Order;\n"),
    ).toEqual([expect.stringContaining('shared/ imports no module')]);
  });
});
