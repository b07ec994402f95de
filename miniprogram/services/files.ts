import { apiBase, ApiError, requestVia, type RawResponse } from './request';
import { askForSetting, isCancel, isDenied, showFailure } from '../utils/permission';

/** Upload purposes of POST /api/uploads. */
export type UploadPurpose = 'order' | 'repair' | 'review' | 'chat' | 'certificate' | 'avatar' | 'complaint';

export interface UploadResult {
  id: number;
  /** Signed and expiring; relative URLs are under the API base (see fileUrl). */
  url: string;
  sha256: string;
  size: number;
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  width: number | null;
  height: number | null;
  deduplicated: boolean;
}

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

/**
 * The one wx.uploadFile wrapper: uploads a local file (a wx.chooseMedia temp path) for `purpose`,
 * with the session token, refresh on 401 and the error toast of services/request.ts.
 */
export function uploadImage(filePath: string, purpose: UploadPurpose, opts: { silent?: boolean } = {}): Promise<UploadResult> {
  const url = '/api/uploads';
  return requestVia<UploadResult>(
    { url, method: 'POST', silent: opts.silent },
    (token) =>
      new Promise<RawResponse>((resolve, reject) => {
        wx.uploadFile({
          url: apiBase() + url,
          filePath,
          name: 'file',
          formData: { purpose },
          header: token ? { Authorization: `Bearer ${token}` } : {},
          // WeChat hands back the body as a string.
          success: (res) => resolve({ status: res.statusCode, body: parseBody(res.data) }),
          fail: () => reject(new ApiError('NETWORK', '图片上传失败，请检查网络后重试')),
        });
      }),
  );
}

/** An <image src> for a file URL from the API: relative URLs are under the API base. */
export function fileUrl(url: string): string {
  return /^https?:\/\//.test(url) ? url : apiBase() + url;
}

/** Lets the user pick up to `count` photos (camera or album); resolves with their temp paths ([] when cancelled). */
export function choosePhotos(count: number): Promise<string[]> {
  if (count <= 0) return Promise.resolve([]);
  return new Promise((resolve) => {
    wx.chooseMedia({
      count,
      mediaType: ['image'],
      sourceType: ['album', 'camera'],
      sizeType: ['compressed'],
      success: (res) => resolve(res.tempFiles.map((f) => f.tempFilePath)),
      fail: (err) => {
        resolve([]);
        if (isCancel(err.errMsg)) return;
        if (isDenied(err.errMsg)) void askForSetting('scope.camera', '相机或相册');
        else showFailure('选择照片', err.errMsg);
      },
    });
  });
}
