/**
 * The one `fetch` every hub request goes through (ours and @huggingface/hub's, which accepts a custom fetch): it adds
 * the token, and turns HTTP failures and unreachable endpoints into HubErrors that say what to do. Error codes follow
 * the hub's `X-Error-Code` header, as huggingface_hub's `hf_raise_for_status` reads it.
 */
import { HubError } from './errors.js';

export interface HubContext {
  endpoint: string;
  token?: string;
  repoId: string;
  revision: string;
  /** The cache folder, named in the offline hint. */
  cacheDir: string;
  /** The fetch to wrap, default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Aborts every request. */
  signal?: AbortSignal;
}

/** What a request is for, which decides what a bare 404 means. */
export type RequestKind = { kind: 'info' } | { kind: 'tree' } | { kind: 'file'; file: string };

const USER_AGENT = `bertkit-hub/0.1; node/${process.versions.node}`;

function errnoOf(e: unknown): string | undefined {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A HubError for a request that got no answer, or whose body was cut (HubErrors and aborts pass unchanged). */
export function networkError(ctx: HubContext, e: unknown, what: string): Error {
  if (e instanceof HubError || (e as { name?: string })?.name === 'AbortError') return e as Error;
  const code = errnoOf(e);
  return new HubError(
    'network',
    `${what} (${code ?? (e as Error)?.message ?? String(e)}): check the network or HF_ENDPOINT, ` +
      `or set HF_HUB_OFFLINE=1 to use only the cache at ${ctx.cacheDir}`,
    { repoId: ctx.repoId, revision: ctx.revision },
    { cause: e },
  );
}

async function errorText(res: Response): Promise<string> {
  const header = res.headers.get('x-error-message');
  if (header) return header;
  try {
    const text = await res.text();
    try {
      const json = JSON.parse(text) as { error?: string; message?: string };
      return json.error ?? json.message ?? text;
    } catch {
      return text.slice(0, 200);
    }
  } catch {
    return '';
  }
}

/** The HubError for a failed hub response. */
export async function httpError(res: Response, url: string, req: RequestKind, ctx: HubContext): Promise<HubError> {
  const { endpoint, token, repoId, revision } = ctx;
  const status = res.status;
  const code = res.headers.get('x-error-code');
  const file = req.kind === 'file' ? req.file : undefined;
  const details = { repoId, revision, file, status, url };
  const text = await errorText(res);
  if (code === 'RevisionNotFound') {
    return new HubError(
      'revision-not-found',
      `revision '${revision}' not found in '${repoId}' on ${endpoint}`,
      details,
    );
  }
  if (code === 'EntryNotFound' || (status === 404 && file !== undefined && code !== 'RepoNotFound')) {
    return new HubError(
      'file-not-found',
      `file '${file ?? url}' not found in '${repoId}' at revision '${revision}' on ${endpoint}`,
      details,
    );
  }
  if (code === 'RepoNotFound' || status === 404) {
    const hint = token ? '' : ' (if it is private, set HF_TOKEN)';
    return new HubError('repo-not-found', `repository '${repoId}' not found on ${endpoint}${hint}`, details);
  }
  if (code === 'GatedRepo') {
    const fix = token
      ? `the token in use has no access yet: accept the terms at ${endpoint}/${repoId} with its account`
      : `set HF_TOKEN to a token whose account accepted the terms at ${endpoint}/${repoId}`;
    return new HubError('gated', `'${repoId}' is a gated repository (HTTP ${status}): ${fix}`, details);
  }
  if (status === 401 || status === 403) {
    const fix = token
      ? 'the token in HF_TOKEN was refused: check that it is valid and can read this repository'
      : `set HF_TOKEN to a token that can read it (${endpoint}/settings/tokens)`;
    return new HubError(
      'unauthorized',
      `'${repoId}' on ${endpoint} needs authentication (HTTP ${status}): ${fix}`,
      details,
    );
  }
  return new HubError('http', `${endpoint} answered HTTP ${status} for ${url}${text ? `: ${text}` : ''}`, details);
}

export type HubFetch = (req: RequestKind, allow?: readonly number[]) => typeof fetch;

/**
 * A fetch factory: `hubFetch({kind: 'info'})` is a fetch for one purpose. It throws a HubError for statuses
 * >= 400 (except `allow`ed ones) and for unreachable endpoints. The token is sent to the endpoint's origin only;
 * on redirects to a CDN, fetch drops the Authorization header itself (cross-origin).
 */
export function createHubFetch(ctx: HubContext): HubFetch {
  const origin = new URL(ctx.endpoint).origin;
  const base = ctx.fetch ?? globalThis.fetch;
  return (req, allow = []) =>
    async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const headers = new Headers(init?.headers);
      headers.set('user-agent', USER_AGENT);
      if (ctx.token && new URL(url).origin === origin) headers.set('authorization', `Bearer ${ctx.token}`);
      let res: Response;
      try {
        res = await base(url, { ...init, headers, signal: init?.signal ?? ctx.signal });
      } catch (e) {
        throw networkError(ctx, e, `cannot reach ${ctx.endpoint}`);
      }
      if (res.status >= 400 && !allow.includes(res.status)) throw await httpError(res, url, req, ctx);
      return res;
    };
}
