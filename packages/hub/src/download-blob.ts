/**
 * Downloads one file into `blobs/<etag>`, resumably: bytes go to `blobs/<etag>.incomplete` (the name
 * huggingface_hub uses), a later call asks for the rest with `Range: bytes=<have>-`, and the file is renamed
 * into place only when complete. LFS files (64-hex etag = sha256 of the content) are checked against it.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HubError } from './errors.js';
import { networkError, type HubContext, type HubFetch } from './hub-fetch.js';

export interface BlobRequest {
  /** The file's path in the repository (for messages and the fetch context). */
  file: string;
  url: string;
  blobPath: string;
  /** The blob name: sha256 for LFS files, the git blob id otherwise. */
  etag: string;
  /** The size the tree announced. */
  size: number;
  /** Bytes on disk so far (including a resumed part) and the total. */
  onBytes?: (loaded: number, total: number) => void;
}

const isSha256 = (etag: string) => /^[0-9a-f]{64}$/.test(etag);

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashFile(hash: Hash, path: string): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/** huggingface_hub's `_normalize_etag`: drop a weak `W/` prefix and the quotes. */
export function normalizeEtag(etag: string | null): string | undefined {
  return etag ? etag.replace(/^W\//, '').replace(/^"|"$/g, '') : undefined;
}

export async function downloadBlob(req: BlobRequest, hubFetch: HubFetch, ctx: HubContext): Promise<void> {
  const incomplete = `${req.blobPath}.incomplete`;
  await mkdir(dirname(incomplete), { recursive: true });
  let have = await sizeOf(incomplete);
  if (have > req.size) {
    await rm(incomplete, { force: true });
    have = 0;
  }
  const hash = isSha256(req.etag) ? createHash('sha256') : undefined;
  let loaded = have;
  if (have < req.size || req.size === 0) {
    const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-` } : {};
    const res = await hubFetch({ kind: 'file', file: req.file }, [416])(req.url, { headers });
    if (res.status === 416) {
      // The partial file does not fit the remote one: start over.
      await res.body?.cancel();
      await rm(incomplete, { force: true });
      return downloadBlob(req, hubFetch, ctx);
    }
    // X-Linked-Etag is only visible when the hub answered itself (no redirect to a CDN); check it when it is.
    const linked = normalizeEtag(res.headers.get('x-linked-etag'));
    if (linked && linked !== req.etag) {
      await res.body?.cancel();
      throw new HubError(
        'integrity',
        `${ctx.repoId}/${req.file}: the hub's X-Linked-Etag ${linked} differs from the tree's ${req.etag}`,
        { repoId: ctx.repoId, file: req.file, url: req.url },
      );
    }
    const resumed = res.status === 206 && (res.headers.get('content-range') ?? '').startsWith(`bytes ${have}-`);
    if (!resumed) loaded = 0; // the server sent the whole file
    if (hash && loaded > 0) await hashFile(hash, incomplete);
    const out = await open(incomplete, loaded > 0 ? 'a' : 'w');
    try {
      req.onBytes?.(loaded, req.size);
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await out.write(value);
        hash?.update(value);
        loaded += value.byteLength;
        req.onBytes?.(loaded, req.size);
      }
    } catch (e) {
      throw networkError(
        ctx,
        e,
        `download of '${req.file}' from ${ctx.endpoint} was cut after ${loaded} of ${req.size} bytes ` +
          `(kept ${incomplete}; run again to resume)`,
      );
    } finally {
      await out.close();
    }
  } else if (hash) {
    await hashFile(hash, incomplete);
    req.onBytes?.(loaded, req.size);
  }
  const fail = async (what: string) => {
    await rm(incomplete, { force: true });
    return new HubError('integrity', `${ctx.repoId}/${req.file}: ${what}; the partial file was deleted, run again`, {
      repoId: ctx.repoId,
      file: req.file,
      url: req.url,
    });
  };
  if (loaded !== req.size) throw await fail(`expected ${req.size} bytes, received ${loaded}`);
  const digest = hash?.digest('hex');
  if (digest !== undefined && digest !== req.etag) throw await fail(`sha256 ${digest}, expected ${req.etag}`);
  await rename(incomplete, req.blobPath);
}
