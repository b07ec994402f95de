import { choosePhotos, fileUrl, uploadImage, type UploadPurpose } from '../services/files';

export interface Photo {
  /** The upload id the API takes. */
  id: number;
  /** A displayable (signed) URL. */
  url: string;
}

/**
 * wx.chooseMedia for the free slots, then each photo is uploaded at once. Resolves with `current`
 * plus what was uploaded; an upload that fails stops there (request.ts has toasted the API's message).
 */
export async function addPhotos(current: Photo[], max: number, purpose: UploadPurpose): Promise<Photo[]> {
  const paths = await choosePhotos(max - current.length);
  const photos = [...current];
  try {
    for (const path of paths) {
      const uploaded = await uploadImage(path, purpose);
      photos.push({ id: uploaded.id, url: fileUrl(uploaded.url) });
    }
  } catch {
    // Keep the photos uploaded before the failure.
  }
  return photos;
}
