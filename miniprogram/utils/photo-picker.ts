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

/** What the shared photo handlers need of their page. */
export interface PhotoPage {
  data: { photos: Photo[]; uploading: boolean; maxPhotos: number };
  setData(data: Record<string, unknown>): void;
}

/**
 * The add/remove photo handlers of a form page with `photos`, `uploading` and `maxPhotos` in its
 * data; a page spreads them into its methods. `save` stores a changed list (by default in `photos`,
 * clearing the form's error; the order page also keeps its draft).
 */
export function photoHandlers<P extends PhotoPage = PhotoPage>(
  purpose: UploadPurpose,
  save: (page: P, photos: Photo[]) => void = (page, photos) => page.setData({ photos, formError: '' }),
) {
  return {
    /** wx.chooseMedia, then each photo is uploaded at once; the form sends their upload ids. */
    async onAddPhotos(this: P): Promise<void> {
      if (this.data.uploading) return;
      this.setData({ uploading: true });
      const photos = await addPhotos(this.data.photos, this.data.maxPhotos, purpose);
      this.setData({ uploading: false });
      if (photos.length !== this.data.photos.length) save(this, photos);
    },
    /** components/photo-grid's remove: `{index}` of the photo. */
    onRemovePhoto(this: P, e: { detail: { index: number } }): void {
      const { index } = e.detail;
      save(
        this,
        this.data.photos.filter((_, i) => i !== index),
      );
    },
  };
}
