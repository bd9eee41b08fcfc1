/**
 * A small HuggingFace Hub on 127.0.0.1 for tests: the public endpoints the clients use, answering as the hub does
 * (status codes, X-Error-Code, X-Repo-Commit, ETag / X-Linked-Etag / X-Linked-Size, Range, HEAD), and a log of
 * every request so that tests can count them and read their headers.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRepo {
  id: string;
  /** Branch or tag → commit; `main` is required. */
  refs: Record<string, string>;
  /** Files of every commit (one tree for all commits is enough here). */
  files: Record<string, Uint8Array>;
  /** Files stored with LFS (their etag is the sha256); default: files over 1000 bytes. */
  lfs?: string[];
  /** Files need `Authorization: Bearer <token>` (gated repository). */
  gatedToken?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  authorization?: string;
  range?: string;
}

export interface FakeHub {
  url: string;
  requests: LoggedRequest[];
  /** Cut the next response for `file` after this many body bytes (the socket is destroyed). */
  cutNext: Map<string, number>;
  close(): Promise<void>;
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** git's blob id: sha1 of `blob <size>\0<content>`. */
export const gitOid = (b: Uint8Array) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

function isLfs(repo: FakeRepo, file: string): boolean {
  return repo.lfs ? repo.lfs.includes(file) : repo.files[file].length > 1000;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { error: message }, { 'x-error-code': code, 'x-error-message': message });
}

export interface FakeHubOptions {
  /** Redirect LFS files to `<lfsRedirect>/cdn/<sha256>` (another FakeHub serving them as `cdnBlobs`). */
  lfsRedirect?: string;
  /** Contents served at `/cdn/<sha256>`, as a CDN would. */
  cdnBlobs?: Uint8Array[];
}

export async function startHubServer(repos: FakeRepo[], options: FakeHubOptions = {}): Promise<FakeHub> {
  const byId = new Map(repos.map((r) => [r.id, r]));
  const requests: LoggedRequest[] = [];
  const cutNext = new Map<string, number>();

  /** Splits `a/b/<keyword>/rest` into the repo (1 or 2 segments) and the rest. */
  const split = (parts: string[], keyword: string) => {
    const k = parts.indexOf(keyword);
    return k < 1 || k > 2
      ? null
      : { repo: byId.get(parts.slice(0, k).join('/')), id: parts.slice(0, k).join('/'), rest: parts.slice(k + 1) };
  };
  const commitOf = (repo: FakeRepo, rev: string) =>
    repo.refs[rev] ?? (Object.values(repo.refs).includes(rev) ? rev : undefined);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://x');
    requests.push({
      method: req.method!,
      path: url.pathname,
      authorization: req.headers.authorization,
      range: req.headers.range,
    });
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'api' && parts[1] === 'models') {
      const p = parts.slice(2);
      const s =
        split(p, 'revision') ??
        split(p, 'tree') ??
        (p.length <= 2 ? { repo: byId.get(p.join('/')), id: p.join('/'), rest: null } : null);
      if (!s?.repo) return fail(res, 404, 'RepoNotFound', 'Repository not found');
      const rev = s.rest?.[0] ?? 'main';
      const commit = commitOf(s.repo, rev);
      if (!commit) return fail(res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
      if (p.includes('tree')) {
        const tree = Object.entries(s.repo.files).map(([path, b]) => ({
          type: 'file',
          path,
          size: b.length,
          oid: gitOid(isLfs(s.repo!, path) ? new TextEncoder().encode(`lfs pointer ${sha256(b)}`) : b),
          ...(isLfs(s.repo!, path) ? { lfs: { oid: sha256(b), size: b.length, pointerSize: 134 } } : {}),
        }));
        return json(res, 200, tree);
      }
      return json(res, 200, {
        _id: `id-${s.id}`,
        id: s.id,
        sha: commit,
        private: false,
        gated: s.repo.gatedToken ? 'auto' : false,
        downloads: 0,
        likes: 0,
        lastModified: '2024-01-01T00:00:00.000Z',
        siblings: Object.keys(s.repo.files).map((rfilename) => ({ rfilename })),
      });
    }
    if (parts[0] === 'cdn') {
      const blob = options.cdnBlobs?.find((b) => sha256(b) === parts[1]);
      if (!blob) return fail(res, 404, 'EntryNotFound', 'no such object');
      return sendBytes(req, res, blob, { etag: '"cdn-object-etag"', 'accept-ranges': 'bytes' }, parts[1]);
    }
    const s = split(parts, 'resolve');
    if (!s) return fail(res, 404, 'RepoNotFound', 'Not found');
    if (!s.repo) return fail(res, 401, 'RepoNotFound', 'Repository not found');
    const [rev, ...fileParts] = s.rest;
    const commit = commitOf(s.repo, rev);
    if (!commit) return fail(res, 404, 'RevisionNotFound', `Invalid rev id: ${rev}`);
    if (s.repo.gatedToken && req.headers.authorization !== `Bearer ${s.repo.gatedToken}`) {
      return fail(
        res,
        401,
        'GatedRepo',
        `Access to model ${s.id} is restricted. You must have access to it and be authenticated to access it.`,
      );
    }
    const file = fileParts.join('/');
    const body = s.repo.files[file];
    if (!body) return fail(res, 404, 'EntryNotFound', `Entry not found: ${file}`);
    const headers: Record<string, string> = {
      'x-repo-commit': commit,
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
    };
    if (isLfs(s.repo, file)) {
      headers['x-linked-etag'] = `"${sha256(body)}"`;
      headers['x-linked-size'] = String(body.length);
      headers.etag = `"md5-of-cdn-object"`;
    } else headers.etag = `W/"${gitOid(body)}"`;
    if (isLfs(s.repo, file) && options.lfsRedirect) {
      // As the hub does for LFS / xet files: 302 to a CDN on another origin, with the linked etag and size.
      res.writeHead(302, { ...headers, location: `${options.lfsRedirect}/cdn/${sha256(body)}`, 'content-length': '0' });
      return res.end();
    }
    sendBytes(req, res, body, headers, file);
  };

  const sendBytes = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Uint8Array,
    headers: Record<string, string>,
    file: string,
  ) => {
    let start = 0;
    let status = 200;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` });
        return res.end();
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    }
    const slice = body.subarray(start);
    headers['content-length'] = String(slice.length);
    res.writeHead(status, headers);
    if (req.method === 'HEAD') return res.end();
    const cut = cutNext.get(file);
    if (cut !== undefined) {
      cutNext.delete(file);
      res.write(slice.subarray(0, cut), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(slice);
  };

  const server = createServer(handle);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    cutNext,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
