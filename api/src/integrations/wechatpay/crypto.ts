/**
 * The cryptography of WeChat Pay v3, shared by the live client, the dev sandbox and the test fake:
 * RSA-SHA256 signatures over newline-joined messages and AEAD_AES_256_GCM resources.
 *
 * The SDK's own `decipher_gcm` never checks the GCM tag, so a tampered notify would decrypt; this
 * module calls `final()` and lets a bad tag throw.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  createSign,
  createVerify,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface EncryptedResource {
  algorithm?: string;
  ciphertext: string;
  associated_data?: string;
  nonce: string;
  original_type?: string;
}

/** Lines joined by \n with a trailing \n: the message format of every v3 signature. */
export const signatureMessage = (...lines: string[]) => lines.map((l) => `${l}\n`).join('');

export function rsaSign(message: string, privateKey: string | KeyObject): string {
  return createSign('RSA-SHA256').update(message).sign(privateKey, 'base64');
}

export function rsaVerify(message: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(message).verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

export function encryptResource(plaintext: string, apiV3Key: string, associatedData = 'transaction'): EncryptedResource {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(associatedData));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: body.toString('base64'), associated_data: associatedData, nonce };
}

/** Throws when the key, nonce, associated data or ciphertext do not match the tag. */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length < 17) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(resource.nonce));
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(resource.associated_data ?? ''));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

/**
 * The platform's verification key from WXPAY_PLATFORM_CERT: either a platform certificate (its
 * serial is the certificate's) or a WeChat Pay public key (its id, `PUB_KEY_ID_…`, given separately).
 */
export function platformKeyOf(pem: string, serial?: string): { serial: string; key: KeyObject } {
  if (pem.includes('BEGIN CERTIFICATE')) {
    const cert = new X509Certificate(pem);
    return { serial: cert.serialNumber.toUpperCase(), key: cert.publicKey };
  }
  if (!serial) throw new Error('WXPAY_PLATFORM_SERIAL is required when WXPAY_PLATFORM_CERT is a public key');
  return { serial, key: createPublicKey(pem) };
}

export const nonceStr = () => randomBytes(16).toString('hex');
