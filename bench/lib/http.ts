/** A failed API call, with what the API answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: { code?: string; message?: string } },
    where: string,
  ) {
    super(`${where} → ${status} ${JSON.stringify(body)}`);
  }
}

/** One JSON call to the API as the holder of `token`; resolves to `data`, throws ApiError on anything but 2xx. */
export async function call<T = Record<string, unknown>>(
  url: string,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as { data: T; error?: { code?: string; message?: string } };
  if (res.status < 200 || res.status >= 300) throw new ApiError(res.status, json, `${method} ${path}`);
  return json.data;
}

/** Runs `fn` over `items`, at most `concurrency` at a time. */
export async function inPool<T>(
  items: T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}
