import { isUniqueViolation, type Db } from '../../db';
import type { Principal } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import type { DomainBus } from '../../shared/domain-events';
import { AppError, conflict, forbidden, notFound } from '../../shared/errors';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import type { FilesService } from '../files';
import { avatarUrl, avatarUrls, type ElectricianAccounts } from '../users';
import type { Electrician, ElectriciansRepository, NewElectrician, VerificationStatus } from './electricians.repository';
import {
  toAdminElectricianView,
  toElectricianView,
  toPublicElectricianView,
  type AdminElectricianView,
  type ApplyBody,
  type ElectricianView,
  type FileRefView,
  type PublicElectricianView,
  type UpdateMeBody,
  type VerifyBody,
} from './electricians.schemas';
import type { IdCardCipher } from './id-card';

export interface ElectriciansDeps {
  db: Db;
  electricians: ElectriciansRepository;
  users: ElectricianAccounts;
  /** Certificate images are uploads: attached inside the application's transaction, shown as signed refs. */
  files: Pick<FilesService, 'attach' | 'refs'>;
  idCards: IdCardCipher;
  bus: DomainBus;
  clock: Clock;
  /** Makes every instance forget the profile it holds for the user (`heldByUserId`), after a change to it. */
  forgetHeld(userId: number): Promise<void>;
}

const alreadyApplied = () => conflict('ALREADY_APPLIED', '已提交过电工认证申请');
const idCardTaken = () => conflict('ID_CARD_TAKEN', '该身份证号已被其他申请使用');
const certificateTaken = () => conflict('CERTIFICATE_TAKEN', '该证书编号已被其他申请使用');

export function createElectriciansService(d: ElectriciansDeps) {
  const { db, electricians, users, files, idCards, bus, clock } = d;
  const sign = (ids: number[]) => files.refs(ids);

  /** Signs every image of the given profiles with one call to the files service. */
  async function refsOf(list: Electrician[]): Promise<Map<number, FileRefView>> {
    const ids = [...new Set(list.flatMap((e) => [...e.certificateImages, ...e.workImages]))];
    if (ids.length === 0) return new Map();
    return new Map((await files.refs(ids)).map((r) => [r.id, r]));
  }

  async function view(e: Electrician): Promise<ElectricianView> {
    return toElectricianView(e, await refsOf([e]));
  }

  async function ownProfile(userId: number): Promise<Electrician> {
    const e = await electricians.findByUserId(userId);
    if (!e) throw notFound('尚未申请成为电工');
    return e;
  }

  /** A clear 409 for a card or certificate another profile holds; `selfId` is the applicant's own row. */
  async function assertUnique(idCardHash: string, certificateNumber: string, selfId: number | undefined) {
    const [byCard, byCertificate] = await Promise.all([
      electricians.findByIdCardHash(idCardHash),
      electricians.findByCertificateNumber(certificateNumber),
    ]);
    if (byCard && byCard.id !== selfId) throw idCardTaken();
    if (byCertificate && byCertificate.id !== selfId) throw certificateTaken();
  }

  return {
    /**
     * A user applies to become an electrician; a rejected applicant may apply again with new data.
     * The row and its certificate images are written in one transaction, so an invalid upload leaves
     * nothing behind.
     */
    async apply(userId: number, body: ApplyBody): Promise<ElectricianView> {
      const existing = await electricians.findByUserId(userId);
      if (existing && existing.verificationStatus !== 'rejected') throw alreadyApplied();

      const idCardHash = idCards.hash(body.idCard);
      await assertUnique(idCardHash, body.certificateNumber, existing?.id);
      const data: Omit<NewElectrician, 'userId'> = {
        realName: body.realName,
        idCardEnc: idCards.encrypt(body.idCard),
        idCardHash,
        idCardLast4: body.idCard.slice(-4),
        certificateNumber: body.certificateNumber,
        certificateType: body.certificateType,
        certificateImages: body.certificateImages,
        experienceYears: body.experienceYears,
        specialties: body.specialties,
        serviceAreas: body.serviceAreas,
        introduction: body.introduction ?? null,
      };

      const now = clock.now();
      let id: number;
      try {
        id = await db.transaction(async (trx) => {
          let rowId: number;
          if (existing) {
            if (!(await electricians.reapply(existing.id, data, now, trx))) throw alreadyApplied();
            rowId = existing.id;
          } else {
            rowId = await electricians.insert({ userId, ...data }, now, trx);
          }
          await files.attach(
            userId,
            body.certificateImages,
            'certificate',
            { type: 'electrician', id: rowId },
            trx,
            'certificateImages',
          );
          return rowId;
        });
      } catch (err) {
        if (err instanceof AppError || !isUniqueViolation(err)) throw err;
        // A concurrent application won a unique key between the check above and the write: the same
        // user's (one profile per user) or another applicant's with this card or certificate.
        if (!existing && (await electricians.findByUserId(userId))) throw alreadyApplied();
        await assertUnique(idCardHash, body.certificateNumber, existing?.id);
        throw err;
      }
      await d.forgetHeld(userId);
      return view((await electricians.findById(id))!);
    },

    async getMe(userId: number): Promise<ElectricianView> {
      return view(await ownProfile(userId));
    },

    /**
     * Only an approved electrician may go available or busy. Approval is final (only a rejected
     * application can change again), so checking the status read here cannot go stale.
     */
    async updateMe(userId: number, body: UpdateMeBody): Promise<ElectricianView> {
      const e = await ownProfile(userId);
      if ((body.workStatus === 'available' || body.workStatus === 'busy') && e.verificationStatus !== 'approved') {
        throw forbidden('认证通过后才能接单', 'NOT_ELIGIBLE');
      }
      const now = clock.now();
      await electricians.update(e.id, { ...body, ...(body.latitude !== undefined ? { locationUpdatedAt: now } : {}) }, now);
      await d.forgetHeld(userId);
      return view((await electricians.findById(e.id))!);
    },

    /** Any signed-in user may see an approved electrician's public profile; nothing else exists for them. */
    async getPublic(id: number): Promise<PublicElectricianView> {
      const e = await electricians.findById(id);
      if (!e || e.verificationStatus !== 'approved') throw notFound('电工不存在');
      const user = await users.findById(e.userId);
      return toPublicElectricianView(e, user ? await avatarUrl(sign, user) : null);
    },

    async list(
      q: PageQuery & { verificationStatus?: VerificationStatus; keyword?: string },
    ): Promise<Page<AdminElectricianView>> {
      const { items, total } = await electricians.listForAdmin({ ...q, offset: offsetOf(q) });
      const [refs, avatars] = await Promise.all([
        refsOf(items),
        avatarUrls(
          sign,
          items.map((e) => e.user),
        ),
      ]);
      return { items: items.map((e, i) => toAdminElectricianView(e, refs, avatars[i]!)), total, page: q.page, limit: q.limit };
    },

    /**
     * Decides a pending application. Approval makes the account an electrician in the same
     * transaction (staff stay staff); its event is staged there and goes out after the commit.
     */
    async verify(actor: Principal, id: number, body: VerifyBody): Promise<AdminElectricianView> {
      const e = await electricians.findById(id);
      if (!e) throw notFound('电工申请不存在');
      const note = body.note ?? null;
      const now = clock.now();
      await db.transaction(async (trx) => {
        if (!(await electricians.setVerification(id, { approved: body.approved, note, actorId: actor.id }, now, trx))) {
          throw conflict('INVALID_TRANSITION', '该申请已审核过');
        }
        if (body.approved) await users.promoteToElectrician(e.userId, now, trx);
        await bus.stage(trx, {
          name: 'electrician.verified',
          electricianId: id,
          userId: e.userId,
          approved: body.approved,
          note,
          actor: { id: actor.id, role: 'admin' },
          at: now,
        });
      });
      const decided = (await electricians.findWithUser(id))!;
      const [refs, avatar] = await Promise.all([refsOf([decided]), avatarUrl(sign, decided.user)]);
      return toAdminElectricianView(decided, refs, avatar);
    },
  };
}

export type ElectriciansService = ReturnType<typeof createElectriciansService>;
