/**
 * Where a user's avatar comes from: a plain http(s) URL (`users.avatar`) or one of their own
 * `avatar` uploads (`users.avatar_upload_id`); at most one of the two is set.
 */
export interface AvatarSource {
  avatar: string | null;
  avatarUploadId: number | null;
}

/** Signs upload ids: the files service's `refs`, which leaves out ids it does not know. */
export type SignUploads = (ids: number[]) => Promise<{ id: number; url: string }[]>;

/** No avatar: what a row shows when its avatar must not be shown (e.g. an anonymous review). */
export const NO_AVATAR: AvatarSource = { avatar: null, avatarUploadId: null };

/** The `avatar` / `avatar_upload_id` columns of a query row, under the names it selected them as. */
export function avatarSourceOf(
  row: Record<string, unknown>,
  avatar = 'avatar',
  avatarUploadId = 'avatar_upload_id',
): AvatarSource {
  const url = row[avatar];
  const uploadId = row[avatarUploadId];
  return {
    avatar: url === null || url === undefined ? null : String(url),
    avatarUploadId: uploadId === null || uploadId === undefined ? null : Number(uploadId),
  };
}

/**
 * The avatar URL of each source, in order: for an upload its signed, expiring URL (signed now, never
 * stored), else the plain URL, else null. The uploads of the whole list are signed with one call to
 * the files service, so a page of rows costs one query for its avatars, not one per row.
 */
export async function avatarUrls(sign: SignUploads, sources: readonly AvatarSource[]): Promise<(string | null)[]> {
  const ids = [...new Set(sources.flatMap((s) => (s.avatarUploadId === null ? [] : [s.avatarUploadId])))];
  const signed = ids.length === 0 ? new Map<number, string>() : new Map((await sign(ids)).map((r) => [r.id, r.url]));
  return sources.map((s) => (s.avatarUploadId === null ? s.avatar : (signed.get(s.avatarUploadId) ?? null)));
}

/** The avatar URL of one source. */
export async function avatarUrl(sign: SignUploads, source: AvatarSource): Promise<string | null> {
  return (await avatarUrls(sign, [source]))[0]!;
}
