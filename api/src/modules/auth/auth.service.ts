import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { isUniqueViolation, type Db } from '../../db';
import type { SmsProvider } from '../../integrations/sms';
import type { WechatClient } from '../../integrations/wechat/wechat';
import type { Principal } from '../../shared/auth';
import { DAY, MINUTE, type Clock } from '../../shared/clock';
import type { DomainBus, SessionEnded } from '../../shared/domain-events';
import { AppError, badRequest, conflict, forbidden, tooManyRequests, unauthorized } from '../../shared/errors';
import type { FilesService } from '../files';
import { avatarUrl, type AccountUsers, type Gender, type User } from '../users';
import type { AuthRepository } from './auth.repository';
import type { SessionCache } from './session-cache';
import type { BindPhoneBody, WechatLoginBody } from './auth.schemas';
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_MS, hashToken, newRefreshToken, type TokenSigner } from './tokens';

export const SMS = { ttlMs: 5 * MINUTE, maxAttempts: 5, perMinute: 1, perDay: 10, purpose: 'bind_phone' } as const;

export interface ClientMeta {
  ip?: string;
  userAgent?: string;
}

export interface AuthDeps {
  db: Db;
  users: AccountUsers;
  auth: AuthRepository;
  wechat: WechatClient;
  sms: SmsProvider;
  signer: TokenSigner;
  clock: Clock;
  bus: DomainBus;
  adminOpenids: string[];
  /** Signs the user's avatar upload for the login response. */
  files: Pick<FilesService, 'refs'>;
  /** Keys the SMS code hashes, so a database leak does not reveal live codes. */
  secret: string;
  /** The session checks held in memory (session-cache.ts). */
  sessions: SessionCache;
  /** Makes every instance forget the user's held sessions (after a change to who they are). */
  forget(userId: number): Promise<void>;
}

const GENDERS: Record<number, Gender> = { 0: 'unknown', 1: 'male', 2: 'female' };
const banned = () => forbidden('账号已被封禁，请联系客服', 'FORBIDDEN');

export function createAuthService(d: AuthDeps) {
  const smsHash = (phone: string, code: string) => createHmac('sha256', d.secret).update(`${phone}:${code}`).digest('hex');

  async function openSession(userId: number, meta: ClientMeta) {
    const now = d.clock.now();
    const sessionId = randomUUID();
    const refreshToken = newRefreshToken();
    await d.auth.insertRefreshToken(
      {
        userId,
        familyId: sessionId,
        tokenHash: hashToken(refreshToken),
        expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS),
        ...meta,
      },
      now,
    );
    return { token: d.signer.sign({ userId, sessionId }), refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** Finds the user of an openid, creating it on first login (a concurrent first login is not an error). */
  async function findOrCreate(
    openid: string,
    unionid: string | undefined,
    isAdmin: boolean,
  ): Promise<{ user: User; isNewUser: boolean }> {
    const existing = await d.users.findByOpenid(openid);
    if (existing) return { user: existing, isNewUser: false };
    try {
      await d.users.insert(
        { openid, unionid, userType: isAdmin ? 'admin' : 'user', staffRole: isAdmin ? 'admin' : null },
        d.clock.now(),
      );
      return { user: (await d.users.findByOpenid(openid))!, isNewUser: true };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return { user: (await d.users.findByOpenid(openid))!, isNewUser: false };
    }
  }

  async function bindPhoneTo(userId: number, phone: string, consume?: (trx: Db) => Promise<boolean>) {
    const owner = await d.users.findByPhone(phone);
    if (owner && owner.id !== userId) throw conflict('PHONE_TAKEN', '该手机号已绑定其他账号');
    try {
      await d.db.transaction(async (trx) => {
        if (consume && !(await consume(trx))) throw badRequest('SMS_CODE_EXPIRED', '验证码已失效，请重新获取');
        await d.users.update(userId, { phone }, d.clock.now(), trx);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('PHONE_TAKEN', '该手机号已绑定其他账号');
      throw err;
    }
    return phone;
  }

  return {
    /** A new session (refresh-token family) and its first token pair; staff web login uses it too. */
    openSession,

    async wechatLogin(body: WechatLoginBody, meta: ClientMeta) {
      const session = await d.wechat.code2session(body.code);
      const isAdmin = d.adminOpenids.includes(session.openid);
      const { user, isNewUser } = await findOrCreate(session.openid, session.unionid, isAdmin);
      if (user.status === 'banned') throw banned();

      const info = body.userInfo;
      const now = d.clock.now();
      await d.db.transaction(async (trx) => {
        await d.users.update(
          user.id,
          {
            lastLoginAt: now,
            unionid: session.unionid ?? undefined,
            ...(isAdmin && user.userType !== 'admin' ? { userType: 'admin', staffRole: 'admin' } : {}),
          },
          now,
          trx,
        );
        // WeChat's profile only fills in what the user has not set: a nickname, avatar (URL or
        // upload) or gender they chose in the mini-program is never overwritten by a later login.
        await d.users.fillBlankProfile(
          user.id,
          {
            nickname: info?.nickName || undefined,
            avatar: info?.avatarUrl || undefined,
            gender: info?.gender === undefined ? undefined : GENDERS[info.gender],
          },
          now,
          trx,
        );
      });
      // ADMIN_OPENIDS made them staff: their other sessions change role too.
      if (isAdmin && user.userType !== 'admin') await d.forget(user.id);
      const fresh = (await d.users.findById(user.id))!;
      return {
        ...(await openSession(user.id, meta)),
        userType: fresh.userType,
        isNewUser,
        user: { ...fresh, avatarUrl: await avatarUrl((ids) => d.files.refs(ids), fresh) },
      };
    },

    /**
     * Rotates a refresh token. Presenting a token that was already rotated means it was copied:
     * the whole session is revoked. Failures are decided inside the transaction and thrown after
     * it commits, so the revocation is kept.
     */
    async refresh(refreshToken: string, meta: ClientMeta) {
      const now = d.clock.now();
      const outcome = await d.db.transaction(async (trx) => {
        const row = await d.auth.findRefreshToken(hashToken(refreshToken), trx);
        if (!row) return { fail: unauthorized('登录凭证无效，请重新登录') };
        const user = await d.users.findById(row.userId, trx);
        if (!user || user.status === 'banned') {
          await d.auth.revokeFamily(row.familyId, 'banned', now, trx);
          return { fail: user ? banned() : unauthorized() };
        }
        // Deletion revoked every token of the account; this only makes sure none outlives it.
        if (user.status === 'deleted') return { fail: unauthorized('账号已注销') };
        const stolen = (): SessionEnded => ({
          name: 'session.ended',
          userId: row.userId,
          sessionId: row.familyId,
          reason: 'reuse',
        });
        if (row.revokedAt) {
          if (row.revokedReason !== 'rotated') return { fail: unauthorized('登录已失效，请重新登录') };
          await d.auth.revokeFamily(row.familyId, 'reuse', now, trx);
          await d.bus.stage(trx, stolen());
          return { fail: unauthorized('登录已失效，请重新登录') };
        }
        if (row.expiresAt <= now) return { fail: unauthorized('登录已过期，请重新登录') };
        if (!(await d.auth.revokeToken(row.id, 'rotated', now, trx))) {
          await d.auth.revokeFamily(row.familyId, 'reuse', now, trx);
          await d.bus.stage(trx, stolen());
          return { fail: unauthorized('登录已失效，请重新登录') };
        }
        const next = newRefreshToken();
        const nextId = await d.auth.insertRefreshToken(
          {
            userId: row.userId,
            familyId: row.familyId,
            tokenHash: hashToken(next),
            expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS),
            ...meta,
          },
          now,
          trx,
        );
        await d.auth.linkReplacement(row.id, nextId, trx);
        return { ok: { userId: row.userId, sessionId: row.familyId, refreshToken: next } };
      });
      // A copied refresh token ends the session it belongs to, sockets included (the staged event).
      if ('fail' in outcome) throw outcome.fail;
      const { userId, sessionId, refreshToken: next } = outcome.ok;
      return { token: d.signer.sign({ userId, sessionId }), refreshToken: next, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
    },

    /** Ends the caller's session, and the session of the given refresh token if it is theirs. */
    async logout(p: Principal, refreshToken: string) {
      const now = d.clock.now();
      const row = await d.auth.findRefreshToken(hashToken(refreshToken));
      const ended = [p.sessionId];
      if (row && row.userId === p.id && row.familyId !== p.sessionId) ended.push(row.familyId);
      await d.db.transaction(async (trx) => {
        for (const sessionId of ended) {
          await d.auth.revokeFamily(sessionId, 'logout', now, trx);
          await d.bus.stage(trx, { name: 'session.ended', userId: p.id, sessionId, reason: 'logout' });
        }
      });
    },

    /** The caller of an access token as the database says: from memory while it holds it (session-cache.ts). */
    async authenticate(token: string): Promise<Principal> {
      const claims = d.signer.verify(token);
      return d.sessions.read(claims.userId, claims.sessionId, async () => {
        const found = await d.users.findForSession(claims.userId, claims.sessionId);
        // A ban also revokes the sessions; the ban is the reason to report.
        if (found?.user.status === 'banned') throw banned();
        if (found?.user.status === 'deleted') throw unauthorized('账号已注销');
        if (!found?.sessionLive) throw unauthorized('登录已失效，请重新登录');
        const { user } = found;
        return {
          id: user.id,
          openid: user.openid,
          userType: user.userType,
          staffRole: user.staffRole,
          sessionId: claims.sessionId,
        };
      });
    },

    async sendSmsCode(phone: string, meta: ClientMeta) {
      const now = d.clock.now();
      if ((await d.auth.countSmsCodesSince(phone, new Date(now.getTime() - MINUTE))) >= SMS.perMinute) {
        throw tooManyRequests('验证码发送过于频繁，请 60 秒后再试');
      }
      if ((await d.auth.countSmsCodesSince(phone, new Date(now.getTime() - DAY))) >= SMS.perDay) {
        throw tooManyRequests('该手机号今日验证码次数已达上限', 3_600);
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const id = await d.auth.insertSmsCode(
        {
          phone,
          purpose: SMS.purpose,
          codeHash: smsHash(phone, code),
          expiresAt: new Date(now.getTime() + SMS.ttlMs),
          ip: meta.ip,
        },
        now,
      );
      try {
        await d.sms.sendCode(phone, code);
      } catch (err) {
        // Not sent, so it must not count against the caller's limits.
        await d.auth.deleteSmsCode(id);
        throw err;
      }
    },

    async bindPhone(p: Principal, body: BindPhoneBody) {
      if ('code' in body) return bindPhoneTo(p.id, await d.wechat.getPhoneNumber(body.code));

      const { phoneNumber: phone, verifyCode } = body;
      const now = d.clock.now();
      const sent = await d.auth.latestSmsCode(phone, SMS.purpose);
      if (!sent || sent.consumedAt || sent.expiresAt <= now) throw badRequest('SMS_CODE_EXPIRED', '验证码已过期，请重新获取');
      if (sent.attempts >= SMS.maxAttempts) throw new AppError('SMS_CODE_LOCKED', 429, '验证码错误次数过多，请重新获取');
      const given = Buffer.from(smsHash(phone, verifyCode), 'hex');
      if (!timingSafeEqual(given, Buffer.from(sent.codeHash, 'hex'))) {
        const counted = await d.auth.addSmsAttempt(sent.id, SMS.maxAttempts);
        if (!counted) throw new AppError('SMS_CODE_LOCKED', 429, '验证码错误次数过多，请重新获取');
        throw badRequest('SMS_CODE_INVALID', '验证码错误');
      }
      return bindPhoneTo(p.id, phone, (trx) => d.auth.consumeSmsCode(sent.id, SMS.maxAttempts, now, trx));
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
