import { expect } from 'vitest';
import type { Response } from 'supertest';
import {
  login,
  randomCertificateNumber,
  randomIdCard,
  uploadCertificate,
  type Session,
  type TestApp,
} from '../../../../test/harness';

/** A complete, valid application body around the given certificate upload ids. */
export function applicationBody(images: number[], overrides: Record<string, unknown> = {}) {
  return {
    realName: '李建华',
    idCard: randomIdCard(),
    certificateNumber: randomCertificateNumber(),
    certificateType: 'low_voltage',
    certificateImages: images,
    experienceYears: 6,
    specialties: ['线路维修', '开关插座'],
    serviceAreas: ['西湖区', '拱墅区'],
    introduction: '从业六年，擅长老旧小区线路改造。',
    ...overrides,
  };
}

export interface Applicant {
  s: Session;
  res: Response;
  body: ReturnType<typeof applicationBody>;
  id: number;
}

/** Logs `name` in, uploads a certificate and applies; the response is returned whatever its status. */
export async function applyAs(t: TestApp, name: string, overrides: Record<string, unknown> = {}): Promise<Applicant> {
  const s = await login(t, name);
  const image = await uploadCertificate(t, s);
  const body = applicationBody([image], overrides);
  const res = await t.http.post('/api/electricians/apply').set(s.auth).send(body);
  return { s, res, body, id: res.body.data?.id as number };
}

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
