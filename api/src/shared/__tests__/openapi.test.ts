import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDocument } from '../../../../scripts/openapi';
import { createTestApp, login, type TestApp } from '../../../test/harness';
import { operationId } from '../routing';

interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { type?: string | string[] }> };
}

let t: TestApp;
let doc: Document;
let ops: { method: string; path: string; op: Operation }[];

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.http.get('/api/openapi.json')).body as Document;
  ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => ({ method, path, op })),
  );
});
afterAll(() => t.close());

const label = (o: { method: string; path: string }) => `${o.method} ${o.path}`;
const errorStatuses = (op: Operation) => Object.keys(op.responses).filter((s) => /^4\d\d$/.test(s));

describe('the OpenAPI document as a contract', () => {
  it('when it is read, then it is OpenAPI 3.1 with no 3.0 `nullable` left', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(JSON.stringify(doc)).not.toContain('"nullable"');
  });

  it('when its shared schemas are read, then none is nullable (a nullable use of one is `anyOf` it and null)', () => {
    const nullable = Object.entries(doc.components.schemas).filter(([, s]) => [s.type].flat().includes('null'));
    expect(nullable.map(([name]) => name)).toEqual([]);
  });

  it('when its operations are read, then each has a camelCase operationId, unique, derived from its method and path', () => {
    expect(ops.length).toBeGreaterThan(80);
    const ids = ops.map((o) => o.op.operationId);
    for (const o of ops) {
      expect(o.op.operationId, label(o)).toMatch(/^(get|post|put|patch|delete)[A-Z][A-Za-z0-9]*$/);
      expect(o.op.operationId, label(o)).toBe(
        operationId({ method: o.method as 'get', path: o.path.replace(/\{(\w+)\}/g, ':$1') }),
      );
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/admin/orders/{id}/payments']?.get?.operationId).toBe('getAdminOrdersByIdPayments');
    expect(doc.paths['/api/auth/wechat-login']?.post?.operationId).toBe('postAuthWechatLogin');
  });

  it('when its error responses are read, then they follow the guard, the schemas, the path and the rate limiter', () => {
    for (const o of ops) {
      const statuses = errorStatuses(o.op);
      const guarded = (o.op.security ?? []).length > 0;
      expect(statuses.includes('401'), label(o)).toBe(guarded);
      expect(statuses.includes('403'), label(o)).toBe(guarded);
      expect(statuses.includes('404'), label(o)).toBe(o.path.includes('{'));
      expect(statuses.includes('400'), label(o)).toBe(Boolean(o.op.requestBody) || (o.op.parameters ?? []).length > 0);
      expect(o.op.responses.default, label(o)).toBeDefined();
    }
    const limited = ops.filter((o) => errorStatuses(o.op).includes('429')).map(label);
    expect(limited.sort()).toEqual(
      [
        'post /api/admin/auth/login',
        'post /api/auth/wechat-login',
        'post /api/auth/refresh',
        'post /api/auth/sms-code',
        'post /api/orders',
        'post /api/uploads',
      ].sort(),
    );
    expect(doc.paths['/api/users/me']?.get?.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
  });

  it('when an operation documents 401, then calling it without a token is answered 401', async () => {
    const guarded = ops.filter((o) => errorStatuses(o.op).includes('401'));
    expect(guarded.length).toBeGreaterThan(50);
    for (const o of guarded) {
      const res = await t.http[o.method as 'get'](o.path.replace(/\{\w+\}/g, '1')).send({});
      expect(res.status, label(o)).toBe(401);
    }
  });

  it('when a list route answers a page, then its documented success has `pagination`, and the answer does too', async () => {
    const success = (path: string) =>
      doc.paths[path]?.get?.responses['200']?.content?.['application/json']?.schema.properties ?? {};
    expect(Object.keys(success('/api/orders'))).toEqual(['success', 'data', 'pagination']);
    expect(Object.keys(success('/api/admin/audit-logs'))).toEqual(['success', 'data', 'pagination']);
    // Takes page and limit but answers one object: not a page.
    expect(Object.keys(success('/api/electricians/me/earnings'))).toEqual(['success', 'data']);

    const customer = await login(t, 'openapi-customer');
    const res = await t.http.get('/api/orders').set(customer.auth);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['success', 'data', 'pagination']);
  });

  it('when scripts/openapi.ts generates the document, then it is the one the app serves', async () => {
    expect(JSON.parse(JSON.stringify(await generateDocument()))).toEqual(doc);
  });
});
