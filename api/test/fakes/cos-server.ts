/**
 * A fake Tencent COS bucket on 127.0.0.1 that verifies request signatures the way COS does
 * (https://cloud.tencent.com/document/product/436/7778), for both the Authorization header and
 * pre-signed URLs (the same q-* parameters in the query string). Objects live in memory.
 *
 * With a custom Domain such as '127.0.0.1:<port>' the SDK puts neither the bucket nor the region in
 * the URL: the path is `/<key>` and the signed Host is the custom domain. So this fake serves one
 * bucket, and insisting that `host` is among the signed headers is what stops a signature for
 * another host (bucket) from being replayed here.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCosObject {
  body: Buffer;
  contentType: string;
}

export interface FakeCosRequest {
  method: string;
  key: string;
  host: string;
  /** How the request was signed. */
  auth: 'header' | 'query' | 'none';
  /** The headers its signature covers (q-header-list). */
  signedHeaders: string[];
  status: number;
}

export interface FakeCos {
  /** `127.0.0.1:<port>`, for the SDK's Domain option. */
  domain: string;
  secretId: string;
  secretKey: string;
  bucket: string;
  region: string;
  objects: Map<string, FakeCosObject>;
  requests: FakeCosRequest[];
  close(): Promise<void>;
}

const AUTH_PARAMS = ['q-sign-algorithm', 'q-ak', 'q-sign-time', 'q-key-time', 'q-header-list', 'q-url-param-list', 'q-signature'];

/** The SDK's camSafeUrlEncode: encodeURIComponent plus the characters it leaves alone. */
function camSafeUrlEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `name=value&…`, names lower-cased, both URL-encoded, sorted by name: COS's canonical form. */
function canonical(pairs: [string, string][]): string {
  return pairs
    .map(([k, v]) => [camSafeUrlEncode(k).toLowerCase(), camSafeUrlEncode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const sha1Hex = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');
const hmacSha1Hex = (key: string, s: string) => createHmac('sha1', key).update(s, 'utf8').digest('hex');

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fake-${Date.now()}</RequestId></Error>`;
}

type Verdict =
  { ok: true; via: 'header' | 'query'; signedHeaders: string[] } | { ok: false; status: number; code: string; message: string };

export async function startFakeCos(
  options: { secretId?: string; secretKey?: string; bucket?: string; region?: string } = {},
): Promise<FakeCos> {
  const secretId = options.secretId ?? 'AKIDfakeCosSecretId0000000000000000';
  const secretKey = options.secretKey ?? 'fakeCosSecretKey00000000000000000';
  const objects = new Map<string, FakeCosObject>();
  const requests: FakeCosRequest[] = [];

  function verify(req: http.IncomingMessage, url: URL, path: string): Verdict {
    const header = req.headers.authorization;
    const fromQuery = url.searchParams.has('q-signature');
    let auth: Map<string, string>;
    if (header)
      auth = new Map(header.split('&').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]));
    else if (fromQuery) auth = new Map(AUTH_PARAMS.map((k) => [k, url.searchParams.get(k) ?? '']));
    else return { ok: false, status: 403, code: 'AccessDenied', message: 'Access Denied.' };

    for (const k of AUTH_PARAMS) {
      if (!auth.has(k)) return { ok: false, status: 403, code: 'AccessDenied', message: `Missing ${k}` };
    }
    if (auth.get('q-sign-algorithm') !== 'sha1')
      return { ok: false, status: 400, code: 'InvalidArgument', message: 'q-sign-algorithm' };
    if (auth.get('q-ak') !== secretId)
      return { ok: false, status: 403, code: 'InvalidAccessKeyId', message: 'The Access Key Id is invalid.' };

    const signTime = auth.get('q-sign-time')!;
    const keyTime = auth.get('q-key-time')!;
    const [start, end] = signTime.split(';').map(Number);
    const now = Math.floor(Date.now() / 1000);
    if (!Number.isFinite(start) || !Number.isFinite(end))
      return { ok: false, status: 403, code: 'AccessDenied', message: 'q-sign-time' };
    // COS tolerates small clock skew at the start; the end is strict.
    if (now < start! - 60 || now > end!) return { ok: false, status: 403, code: 'AccessDenied', message: 'Request has expired' };

    const headerList = auth.get('q-header-list')!.split(';').filter(Boolean);
    if (!headerList.includes('host')) return { ok: false, status: 403, code: 'AccessDenied', message: 'host must be signed' };
    const headers: [string, string][] = [];
    for (const name of headerList) {
      const value = req.headers[name];
      if (typeof value !== 'string')
        return { ok: false, status: 403, code: 'SignatureDoesNotMatch', message: `Signed header ${name} missing` };
      headers.push([name, value]);
    }
    const params: [string, string][] = [];
    for (const name of auth.get('q-url-param-list')!.split(';').filter(Boolean)) {
      const found = [...url.searchParams].find(([k]) => k.toLowerCase() === name);
      if (!found) return { ok: false, status: 403, code: 'SignatureDoesNotMatch', message: `Signed parameter ${name} missing` };
      params.push(found);
    }

    const httpString = [req.method!.toLowerCase(), path, canonical(params), canonical(headers), ''].join('\n');
    const stringToSign = ['sha1', signTime, sha1Hex(httpString), ''].join('\n');
    const expected = Buffer.from(hmacSha1Hex(hmacSha1Hex(secretKey, keyTime), stringToSign));
    const given = Buffer.from(auth.get('q-signature')!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, status: 403, code: 'SignatureDoesNotMatch', message: 'The calculated signature does not match' };
    }
    return { ok: true, via: header ? 'header' : 'query', signedHeaders: headerList };
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake-cos');
    // The SDK signs the decoded key ("/" + Key) and sends it URL-encoded.
    const path = decodeURIComponent(url.pathname);
    const key = path.slice(1);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);

    const verdict = verify(req, url, path);
    const record = (status: number) =>
      requests.push({
        method: req.method ?? '',
        key,
        host: req.headers.host ?? '',
        auth: verdict.ok ? verdict.via : 'none',
        signedHeaders: verdict.ok ? verdict.signedHeaders : [],
        status,
      });
    const fail = (status: number, code: string, message: string) => {
      record(status);
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(errorXml(code, message));
    };
    if (!verdict.ok) return fail(verdict.status, verdict.code, verdict.message);

    switch (req.method) {
      case 'PUT': {
        const declared = Number(req.headers['content-length']);
        if (declared !== body.length) return fail(400, 'IncompleteBody', 'Content-Length does not match the body');
        objects.set(key, { body, contentType: req.headers['content-type'] ?? 'application/octet-stream' });
        record(200);
        res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"`, 'content-length': '0' });
        return res.end();
      }
      case 'GET': {
        const object = objects.get(key);
        if (!object) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
        record(200);
        res.writeHead(200, { 'content-type': object.contentType, 'content-length': String(object.body.length) });
        return res.end(object.body);
      }
      case 'DELETE': {
        objects.delete(key);
        record(204);
        res.writeHead(204);
        return res.end();
      }
      default:
        return fail(405, 'MethodNotAllowed', 'The specified method is not allowed.');
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    domain: `127.0.0.1:${port}`,
    secretId,
    secretKey,
    bucket: options.bucket ?? 'repair-test-1250000000',
    region: options.region ?? 'ap-shanghai',
    objects,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
