import { expect } from 'vitest';
import type { Response } from 'supertest';
import type { Session, TestApp } from '../../../../test/harness';

export { applicationBody, applyAs, type Applicant } from '../../../../test/harness';

export const decide = (t: TestApp, admin: Session, id: number, body: Record<string, unknown>) =>
  t.http.post(`/api/admin/electricians/${id}/verify`).set(admin.auth).send(body);

/** The plain ID-card number appears nowhere in a response body, in either case of a trailing X. */
export function expectNoIdCard(res: Response, idCard: string): void {
  const text = JSON.stringify(res.body);
  expect(text).not.toContain(idCard);
  expect(text.toUpperCase()).not.toContain(idCard.toUpperCase());
}

export const detailPaths = (res: Response): string[] =>
  (res.body.error?.details ?? []).map((d: { path: (string | number)[] }) => d.path.join('.'));
