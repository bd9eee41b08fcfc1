// Tiny HTTP helpers for the tests: JSON POST/GET against a running server.
export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function post<T = Record<string, unknown>>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === "string" ? body : body instanceof Uint8Array ? (body as unknown as BodyInit) : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: (text.length > 0 && r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

export async function get<T = Record<string, unknown>>(url: string, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const r = await fetch(url, { headers });
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: (r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}
