import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  count,
  createTestApp,
  login,
  loginAsAdmin,
  randomIdCard,
  uploadCertificate,
  type Session,
  type TestApp,
} from '../../../../test/harness';
import { png } from '../../../../test/fixtures/images';
import { applicationBody, applyAs, decide, detailPaths, expectNoIdCard } from './support';

describe('applying to become an electrician', () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAsAdmin(t);
  });
  afterAll(() => t.close());

  it('when a user applies with valid data, then 201 pending, the ID card is masked in the answer and encrypted at rest', async () => {
    const s = await login(t, 'apply-happy');
    const images = [await uploadCertificate(t, s), await uploadCertificate(t, s)];
    const body = applicationBody(images, { idCard: '11010519491231002x', certificateNumber: 'zj-dg-2019-88' });
    const res = await t.http.post('/api/electricians/apply').set(s.auth).send(body);

    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      userId: s.userId,
      realName: '李建华',
      idCard: '**************002X',
      certificateNumber: 'ZJ-DG-2019-88',
      certificateType: 'low_voltage',
      experienceYears: 6,
      specialties: ['线路维修', '开关插座'],
      serviceAreas: ['西湖区', '拱墅区'],
      workStatus: 'offline',
      verificationStatus: 'pending',
      verificationNote: null,
      verifiedAt: null,
    });
    expect(res.body.data.certificateImages.map((r: { id: number }) => r.id)).toEqual(images);
    expect(res.body.data.certificateImages[0]).toMatchObject({ mime: 'image/jpeg', width: 3, height: 2 });
    expect(res.body.data.certificateImages[0].url).toMatch(/^\/api\/files\/\d+\?exp=\d+&sig=/);
    expectNoIdCard(res, '11010519491231002X');

    const row = await t.db('electricians').where({ user_id: s.userId }).first();
    expect(row.id).toBe(res.body.data.id);
    expect(row.id_card_enc).not.toContain('11010519491231002');
    expect(Buffer.from(row.id_card_enc, 'base64').toString('latin1')).not.toContain('11010519491231002');
    expect(t.c.idCards.decrypt(row.id_card_enc)).toBe('11010519491231002X');
    expect(row.id_card_hash).toBe(t.c.idCards.hash('11010519491231002X'));
    expect(row.id_card_last4).toBe('002X');
    expect(JSON.stringify(row)).not.toContain('11010519491231002');
    const uploads = await t.db('uploads').whereIn('id', images);
    expect(uploads.map((u) => [u.resource_type, Number(u.resource_id)])).toEqual([
      ['electrician', row.id],
      ['electrician', row.id],
    ]);
    expect((await t.db('users').where({ id: s.userId }).first()).user_type).toBe('user');
  });

  it('when every field is invalid, then 400 lists each field path, never echoes the ID card, and nothing is stored', async () => {
    const s = await login(t, 'apply-invalid');
    const image = await uploadCertificate(t, s);
    const res = await t.http
      .post('/api/electricians/apply')
      .set(s.auth)
      .send({
        realName: '王',
        idCard: '330106198203154518',
        certificateNumber: 'AB_12',
        certificateType: 'medium_voltage',
        certificateImages: [image, 2, 3, 4, 5, 6, 7],
        experienceYears: 61,
        specialties: [],
        serviceAreas: ['一二三四五六七八九十一二三四五六七八九十一'],
        introduction: '好'.repeat(501),
      });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(detailPaths(res).sort()).toEqual(
      [
        'body.certificateImages',
        'body.certificateNumber',
        'body.certificateType',
        'body.experienceYears',
        'body.idCard',
        'body.introduction',
        'body.realName',
        'body.serviceAreas.0',
        'body.specialties',
      ].sort(),
    );
    expectNoIdCard(res, '330106198203154518');
    expect(await count(t.db, 'electricians', { user_id: s.userId })).toBe(0);
    expect((await t.db('uploads').where({ id: image }).first()).attached_at).toBeNull();
  });

  it('when the ID card has a wrong check character, a bad birth date or a wrong length, then 400 on body.idCard', async () => {
    const s = await login(t, 'apply-bad-card');
    const image = await uploadCertificate(t, s);
    for (const idCard of ['11010519491231002Y', '110105194912310021', '110105194913310029', '1101051949123100', 123]) {
      const res = await t.http
        .post('/api/electricians/apply')
        .set(s.auth)
        .send(applicationBody([image], { idCard }));
      expect(res.status).toBe(400);
      expect(detailPaths(res)).toEqual(['body.idCard']);
    }
    expect(await count(t.db, 'electricians', { user_id: s.userId })).toBe(0);
  });

  it('when fields are missing, duplicated or unknown, then 400 names each one and nothing is stored', async () => {
    const s = await login(t, 'apply-missing');
    const empty = await t.http.post('/api/electricians/apply').set(s.auth).send({});
    expect(empty.status).toBe(400);
    expect(detailPaths(empty).sort()).toEqual(
      [
        'body.certificateImages',
        'body.certificateNumber',
        'body.certificateType',
        'body.experienceYears',
        'body.idCard',
        'body.realName',
        'body.serviceAreas',
        'body.specialties',
      ].sort(),
    );
    const image = await uploadCertificate(t, s);
    const noImages = await t.http.post('/api/electricians/apply').set(s.auth).send(applicationBody([]));
    expect(detailPaths(noImages)).toEqual(['body.certificateImages']);
    const twice = await t.http
      .post('/api/electricians/apply')
      .set(s.auth)
      .send(applicationBody([image, image]));
    expect(detailPaths(twice)).toEqual(['body.certificateImages']);
    const sneaky = await t.http
      .post('/api/electricians/apply')
      .set(s.auth)
      .send(applicationBody([image], { verificationStatus: 'approved' }));
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.error.details[0]).toMatchObject({ code: 'unrecognized_keys' });
    expect(await count(t.db, 'electricians', { user_id: s.userId })).toBe(0);
  });

  it("when the images are another user's, of another purpose or missing, then 400 INVALID_UPLOAD and nothing is stored", async () => {
    const owner = await login(t, 'apply-image-owner');
    const foreign = await uploadCertificate(t, owner);
    const s = await login(t, 'apply-image-thief');
    const mine = await uploadCertificate(t, s);
    const orderPhoto = await t.http
      .post('/api/uploads')
      .set(s.auth)
      .field('purpose', 'order')
      .attach('file', png({ seed: 7 }), { filename: 'fault.png', contentType: 'image/png' });
    expect(orderPhoto.status).toBe(201);

    for (const [images, bad] of [
      [[mine, foreign], 1],
      [[orderPhoto.body.data.id, mine], 0],
      [[mine, 999_999], 1],
    ] as const) {
      const body = applicationBody([...images]);
      const res = await t.http.post('/api/electricians/apply').set(s.auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_UPLOAD');
      expect(detailPaths(res)).toEqual([`body.certificateImages.${bad}`]);
      expectNoIdCard(res, body.idCard);
      expect(await count(t.db, 'electricians', { id_card_hash: t.c.idCards.hash(body.idCard) })).toBe(0);
    }
    expect(await count(t.db, 'electricians', { user_id: s.userId })).toBe(0);
    const uploads = await t.db('uploads').whereIn('id', [mine, foreign, orderPhoto.body.data.id]);
    expect(uploads.every((u) => u.attached_at === null)).toBe(true);
  });

  it('when another applicant already holds the ID card or the certificate number, then 409 and nothing is stored', async () => {
    const first = await applyAs(t, 'apply-dup-first', { idCard: '33012719890407153X' });
    expect(first.res.status).toBe(201);

    const s = await login(t, 'apply-dup-second');
    const image = await uploadCertificate(t, s);
    const sameCard = await t.http
      .post('/api/electricians/apply')
      .set(s.auth)
      .send(applicationBody([image], { idCard: '33012719890407153x' }));
    expect(sameCard.status).toBe(409);
    expect(sameCard.body.error.code).toBe('ID_CARD_TAKEN');
    expectNoIdCard(sameCard, '33012719890407153X');

    const sameCertificate = await t.http
      .post('/api/electricians/apply')
      .set(s.auth)
      .send(applicationBody([image], { certificateNumber: first.body.certificateNumber.toLowerCase() }));
    expect(sameCertificate.status).toBe(409);
    expect(sameCertificate.body.error.code).toBe('CERTIFICATE_TAKEN');

    expect(await count(t.db, 'electricians', { user_id: s.userId })).toBe(0);
    expect((await t.db('uploads').where({ id: image }).first()).attached_at).toBeNull();
  });

  it('when a pending or an approved applicant applies again, then 409 ALREADY_APPLIED and the application is unchanged', async () => {
    const a = await applyAs(t, 'apply-again');
    expect(a.res.status).toBe(201);
    const before = await t.db('electricians').where({ id: a.id }).first();
    const image = await uploadCertificate(t, a.s);
    const again = await t.http
      .post('/api/electricians/apply')
      .set(a.s.auth)
      .send(applicationBody([image]));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_APPLIED');
    expect(await t.db('electricians').where({ id: a.id }).first()).toEqual(before);

    expect((await decide(t, admin, a.id, { approved: true })).status).toBe(200);
    const approved = await t.db('electricians').where({ id: a.id }).first();
    const afterApproval = await t.http
      .post('/api/electricians/apply')
      .set(a.s.auth)
      .send(applicationBody([image]));
    expect(afterApproval.status).toBe(409);
    expect(afterApproval.body.error.code).toBe('ALREADY_APPLIED');
    expect(await t.db('electricians').where({ id: a.id }).first()).toEqual(approved);
    expect((await t.db('uploads').where({ id: image }).first()).attached_at).toBeNull();
  });

  it('when a rejected applicant applies again, then the same application is pending again with the new data', async () => {
    const a = await applyAs(t, 'apply-reject-retry');
    expect((await decide(t, admin, a.id, { approved: false, note: '证书照片模糊' })).status).toBe(200);
    t.clock.advance(60_000);

    const image = await uploadCertificate(t, a.s);
    const retry = applicationBody([image], { idCard: a.body.idCard, certificateType: 'high_voltage', experienceYears: 7 });
    const res = await t.http.post('/api/electricians/apply').set(a.s.auth).send(retry);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      id: a.id,
      verificationStatus: 'pending',
      verificationNote: null,
      certificateType: 'high_voltage',
      certificateNumber: retry.certificateNumber,
      experienceYears: 7,
    });
    expect(res.body.data.certificateImages.map((r: { id: number }) => r.id)).toEqual([image]);
    expectNoIdCard(res, a.body.idCard);

    const row = await t.db('electricians').where({ user_id: a.s.userId }).first();
    expect(await count(t.db, 'electricians', { user_id: a.s.userId })).toBe(1);
    expect(row).toMatchObject({ verification_status: 'pending', verification_note: null, certificate_type: 'high_voltage' });
    expect(t.c.idCards.decrypt(row.id_card_enc)).toBe(a.body.idCard);
    expect((await t.db('uploads').where({ id: image }).first()).resource_id).toBe(a.id);
  });

  it('when the same user applies twice at once, then exactly one application exists and the other request gets 409', async () => {
    const s = await login(t, 'apply-race');
    const image = await uploadCertificate(t, s);
    const results = await Promise.all(
      [1, 2].map(() =>
        t.http
          .post('/api/electricians/apply')
          .set(s.auth)
          .send(applicationBody([image])),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('ALREADY_APPLIED');
    expect(await count(t.db, 'electricians', { user_id: s.userId })).toBe(1);
  });

  it('when two users apply with the same ID card at once, then one application is stored and the other gets 409 ID_CARD_TAKEN', async () => {
    const idCard = randomIdCard();
    const sessions = [await login(t, 'apply-card-race-1'), await login(t, 'apply-card-race-2')];
    const images = [await uploadCertificate(t, sessions[0]!), await uploadCertificate(t, sessions[1]!)];
    const results = await Promise.all(
      sessions.map((s, i) =>
        t.http
          .post('/api/electricians/apply')
          .set(s.auth)
          .send(applicationBody([images[i]!], { idCard })),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.error.code).toBe('ID_CARD_TAKEN');
    expectNoIdCard(loser, idCard);
    expect(await count(t.db, 'electricians', { id_card_hash: t.c.idCards.hash(idCard) })).toBe(1);
    const loserImage = images[results.indexOf(loser)]!;
    expect((await t.db('uploads').where({ id: loserImage }).first()).attached_at).toBeNull();
  });

  it('when nobody is signed in, then 401 and nothing is stored', async () => {
    const before = await count(t.db, 'electricians');
    const res = await t.http.post('/api/electricians/apply').send(applicationBody([1]));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(await count(t.db, 'electricians')).toBe(before);
  });
});

describe('ID cards and the logs', () => {
  it('when applications succeed, fail validation or conflict, then no log line carries the ID-card number', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    // A logger without the production redaction: the code itself must never log the number.
    const t = await createTestApp({ container: { logger: pino({ level: 'trace' }, sink) } });
    try {
      const admin = await loginAsAdmin(t);
      const a = await applyAs(t, 'log-first');
      expect(a.res.status).toBe(201);
      await decide(t, admin, a.id, { approved: true });
      const s = await login(t, 'log-second');
      const image = await uploadCertificate(t, s);
      const taken = await t.http
        .post('/api/electricians/apply')
        .set(s.auth)
        .send(applicationBody([image], { idCard: a.body.idCard }));
      expect(taken.status).toBe(409);
      const invalid = applicationBody([image], { idCard: '330106198203154518' });
      expect((await t.http.post('/api/electricians/apply').set(s.auth).send(invalid)).status).toBe(400);
      await t.http.get('/api/electricians/me').set(a.s.auth);
      await t.http.get('/api/admin/electricians').set(admin.auth);

      const log = lines.join('');
      expect(log).toContain('electrician application decided');
      for (const idCard of [a.body.idCard, '330106198203154518']) expect(log).not.toContain(idCard);
    } finally {
      await t.close();
    }
  });
});
