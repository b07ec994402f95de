import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { imageSize } from 'image-size';
import { AppError } from '../../shared/errors';

/** The only image types accepted, decided from the bytes, with the extension used for stored names. */
export const IMAGE_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;
export type ImageMime = keyof typeof IMAGE_TYPES;

export interface ImageInfo {
  mime: ImageMime;
  ext: (typeof IMAGE_TYPES)[ImageMime];
  size: number;
  sha256: string;
  width: number;
  height: number;
}

/** image-size reads JPEG headers from at most this much (a large EXIF block can push SOF that far). */
const HEAD_BYTES = 512 * 1024;

const IMAGE_SIZE_TYPES: Record<ImageMime, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

export const unsupportedImage = () => new AppError('UNSUPPORTED_MEDIA_TYPE', 415, '只支持 JPEG、PNG、WebP 格式的图片');
export const corruptImage = () => new AppError('UNSUPPORTED_MEDIA_TYPE', 415, '图片文件已损坏或不完整，请重新选择');

// file-type is ESM-only and this project compiles to CommonJS: a dynamic import (kept as import()
// under NodeNext) loads it once, on first use.
const importFileType = () => import('file-type');
let fileType: ReturnType<typeof importFileType> | undefined;
const loadFileType = () => (fileType ??= importFileType());

/**
 * Reads an uploaded file once: its type from the content (never the name or the client's
 * Content-Type), its dimensions, its sha256, and whether its structure is complete. Throws 415
 * for anything but a whole JPEG, PNG or WebP image.
 */
export async function inspectImage(filePath: string): Promise<ImageInfo> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  const walkers = { 'image/jpeg': new JpegWalker(), 'image/png': new PngWalker(), 'image/webp': new WebpWalker() };
  for await (const chunk of fs.createReadStream(filePath)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.length;
    if (headLength < HEAD_BYTES) {
      head.push(bytes.subarray(0, HEAD_BYTES - headLength));
      headLength += Math.min(bytes.length, HEAD_BYTES - headLength);
    }
    // Each walker gives up at the first byte that does not fit its format, so feeding all three is cheap.
    for (const walker of Object.values(walkers)) walker.update(bytes);
  }
  const headBytes = Buffer.concat(head);

  const { fileTypeFromBuffer } = await loadFileType();
  const detected = await fileTypeFromBuffer(headBytes);
  if (!detected || !(detected.mime in IMAGE_TYPES)) throw unsupportedImage();
  const mime = detected.mime as ImageMime;

  let dimensions: ReturnType<typeof imageSize>;
  try {
    dimensions = imageSize(headBytes);
  } catch {
    throw corruptImage();
  }
  // Magic bytes alone say little: "FF D8 FF" followed by HTML is detected as a JPEG. Requiring the
  // header to decode to real dimensions, and the whole structure to be present (a JPEG's scans up to
  // its EOI marker, a PNG's chunks up to IEND, a WebP's RIFF length), rejects disguised and truncated files.
  if (dimensions.type !== IMAGE_SIZE_TYPES[mime] || !(dimensions.width > 0) || !(dimensions.height > 0)) throw corruptImage();
  if (!walkers[mime].complete) throw corruptImage();

  // EXIF orientations 5–8 rotate by 90°: report the size the image is displayed at.
  const rotated = mime === 'image/jpeg' && (dimensions.orientation ?? 1) >= 5;
  return {
    mime,
    ext: IMAGE_TYPES[mime],
    size,
    sha256: hash.digest('hex'),
    width: rotated ? dimensions.height : dimensions.width,
    height: rotated ? dimensions.width : dimensions.height,
  };
}

/** What an upload of purpose `invoice` is: an image as above, or a PDF (no dimensions). */
export interface DocumentInfo {
  mime: ImageMime | 'application/pdf';
  ext: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
}

export const unsupportedDocument = () =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', 415, '发票文件只支持 PDF 或 JPEG、PNG、WebP 图片');
export const corruptDocument = () => new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'PDF 文件已损坏或不完整，请重新选择');

/** A PDF's end-of-file marker must be within this many bytes of its end (the format allows trailing junk). */
const PDF_TAIL_BYTES = 1024;

/**
 * An invoice file (SPEC 3.12: finance uploads the PDF or an image of it): a PDF decided from the
 * content — it must begin with the `%PDF-` header and end with its `%%EOF` marker, so a renamed
 * or cut-off file is refused — or else an image checked as every other upload is. Throws 415.
 */
export async function inspectDocument(filePath: string): Promise<DocumentInfo> {
  const hash = createHash('sha256');
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  let size = 0;
  for await (const chunk of fs.createReadStream(filePath)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.length;
    if (head.length < 4100) head = Buffer.concat([head, bytes.subarray(0, 4100 - head.length)]);
    tail = Buffer.concat([tail, bytes]).subarray(-PDF_TAIL_BYTES);
  }
  const { fileTypeFromBuffer } = await loadFileType();
  const detected = await fileTypeFromBuffer(head);
  if (detected?.mime !== 'application/pdf') {
    if (detected && detected.mime in IMAGE_TYPES) return inspectImage(filePath);
    throw unsupportedDocument();
  }
  if (head.toString('latin1', 0, 5) !== '%PDF-' || !tail.toString('latin1').includes('%%EOF')) throw corruptDocument();
  return { mime: 'application/pdf', ext: 'pdf', size, sha256: hash.digest('hex'), width: null, height: null };
}

interface StructureWalker {
  update(bytes: Buffer): void;
  readonly complete: boolean;
}

/**
 * Follows JPEG markers incrementally: length-prefixed segments, then entropy-coded data (where FF is
 * followed by 00 stuffing or a restart marker) until the next marker, until EOI. Bytes after EOI are
 * ignored, so phones' motion photos (a video appended after the image) are still accepted, whereas a
 * "last two bytes are FF D9" test would refuse them.
 */
export class JpegWalker implements StructureWalker {
  private state: 'soi0' | 'soi1' | 'marker' | 'code' | 'len0' | 'len1' | 'skip' | 'entropy' | 'entropyMarker' | 'done' | 'bad' =
    'soi0';
  private marker = 0;
  private lengthHigh = 0;
  private remaining = 0;
  private sawScan = false;

  get complete(): boolean {
    return this.state === 'done' && this.sawScan;
  }

  update(b: Buffer): void {
    let i = 0;
    while (i < b.length && this.state !== 'done' && this.state !== 'bad') {
      switch (this.state) {
        case 'soi0':
          this.state = b[i++] === 0xff ? 'soi1' : 'bad';
          break;
        case 'soi1':
          this.state = b[i++] === 0xd8 ? 'marker' : 'bad';
          break;
        case 'marker':
          this.state = b[i++] === 0xff ? 'code' : 'bad';
          break;
        case 'code':
          this.onMarker(b[i++]!);
          break;
        case 'len0':
          this.lengthHigh = b[i++]!;
          this.state = 'len1';
          break;
        case 'len1': {
          const length = (this.lengthHigh << 8) | b[i++]!;
          if (length < 2) {
            this.state = 'bad';
            break;
          }
          this.remaining = length - 2;
          this.state = 'skip';
          if (this.remaining === 0) this.afterSegment();
          break;
        }
        case 'skip': {
          const n = Math.min(this.remaining, b.length - i);
          i += n;
          this.remaining -= n;
          if (this.remaining === 0) this.afterSegment();
          break;
        }
        case 'entropy': {
          const ff = b.indexOf(0xff, i);
          if (ff < 0) i = b.length;
          else {
            i = ff + 1;
            this.state = 'entropyMarker';
          }
          break;
        }
        case 'entropyMarker': {
          const c = b[i++]!;
          if (c === 0x00 || (c >= 0xd0 && c <= 0xd7)) this.state = 'entropy';
          else if (c !== 0xff) this.onMarker(c);
          break;
        }
      }
    }
  }

  private onMarker(code: number): void {
    if (code === 0xff)
      this.state = 'code'; // fill byte before a marker
    else if (code === 0xd9) this.state = 'done';
    else if (code === 0x01 || (code >= 0xd0 && code <= 0xd7))
      this.state = 'marker'; // markers without a length
    else if (code === 0x00 || code === 0xd8) this.state = 'bad';
    else {
      this.marker = code;
      this.state = 'len0';
    }
  }

  private afterSegment(): void {
    if (this.marker === 0xda) {
      this.sawScan = true;
      this.state = 'entropy';
    } else this.state = 'marker';
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Follows PNG chunks (length, type, data, CRC) up to IEND; image data (IDAT) must be present. */
export class PngWalker implements StructureWalker {
  private state: 'signature' | 'header' | 'skip' | 'done' | 'bad' = 'signature';
  private pending = Buffer.alloc(0);
  private remaining = 0;
  private chunkType = '';
  private sawData = false;

  get complete(): boolean {
    return this.state === 'done' && this.sawData;
  }

  update(b: Buffer): void {
    let i = 0;
    while (i < b.length && this.state !== 'done' && this.state !== 'bad') {
      if (this.state === 'skip') {
        const n = Math.min(this.remaining, b.length - i);
        i += n;
        this.remaining -= n;
        if (this.remaining === 0) this.state = this.chunkType === 'IEND' ? 'done' : 'header';
        continue;
      }
      const want = 8 - this.pending.length;
      this.pending = Buffer.concat([this.pending, b.subarray(i, i + want)]);
      i += Math.min(want, b.length - i);
      if (this.pending.length < 8) continue;
      if (this.state === 'signature') {
        this.state = this.pending.equals(PNG_SIGNATURE) ? 'header' : 'bad';
      } else {
        const length = this.pending.readUInt32BE(0);
        this.chunkType = this.pending.toString('latin1', 4, 8);
        if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(this.chunkType)) this.state = 'bad';
        else {
          if (this.chunkType === 'IDAT') this.sawData = true;
          this.remaining = length + 4; // data and CRC
          this.state = 'skip';
        }
      }
      this.pending = Buffer.alloc(0);
    }
  }
}

/** A WebP is one RIFF container whose header states its length: a shorter file was cut off. */
export class WebpWalker implements StructureWalker {
  private header = Buffer.alloc(0);
  private total = 0;

  get complete(): boolean {
    if (this.header.length < 12) return false;
    if (this.header.toString('latin1', 0, 4) !== 'RIFF' || this.header.toString('latin1', 8, 12) !== 'WEBP') return false;
    return this.total >= this.header.readUInt32LE(4) + 8;
  }

  update(b: Buffer): void {
    if (this.header.length < 12) this.header = Buffer.concat([this.header, b.subarray(0, 12 - this.header.length)]);
    this.total += b.length;
  }
}
