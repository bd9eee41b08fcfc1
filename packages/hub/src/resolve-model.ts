/**
 * `resolveModel('bert-base-uncased')` → a directory holding config.json, weights and tokenizer files: a local
 * directory as it is, or a hub id downloaded into the HF cache that Python's transformers shares. A complete
 * cached snapshot is used without any request (and works offline); otherwise the hub is asked for the revision's
 * commit and file tree, and the missing files are fetched. Metadata requests go through @huggingface/hub
 * (`modelInfo`, `listFiles`); the file bytes through our resumable `downloadBlob` (the library's
 * `downloadFileToCacheDir` neither resumes nor reports progress, and writes no refs).
 */
import { listFiles, modelInfo, type ListFileEntry } from '@huggingface/hub';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isFile, linkBlob, readRef, repoCache, writeRef, type RepoCache } from './cache-layout.js';
import { downloadBlob } from './download-blob.js';
import { HubError } from './errors.js';
import { createHubFetch, type HubContext, type HubFetch } from './hub-fetch.js';
import { isCommitHash, parseHubRef } from './hub-ref.js';
import { SAFETENSORS_INDEX_FILE, selectModelFiles, shardFiles, snapshotMissing } from './model-files.js';
import { hubSettings, type SettingsOptions } from './settings.js';

export interface DownloadProgress {
  repoId: string;
  /** The file's path in the repository. */
  file: string;
  /** Bytes of this file on disk (a resumed download starts above 0). */
  loaded: number;
  /** This file's size. */
  total: number;
  /** 0-based position of this file among the `fileCount` files being downloaded. */
  fileIndex: number;
  fileCount: number;
}

export interface ResolveModelOptions extends SettingsOptions {
  /** Branch, tag or commit. Default `main`, or the `@revision` of the id. */
  revision?: string;
  /** Fetch exactly these files instead of the BERT set (config, weights, tokenizer files). */
  files?: string[];
  /** Ask the hub for the revision's current commit even when a complete snapshot is cached. */
  refresh?: boolean;
  /** Called as bytes arrive (many times per file: throttle rendering); cached files report nothing. */
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** The fetch to use, default globalThis.fetch. */
  fetch?: typeof fetch;
}

export interface ResolvedModel {
  /** The model directory: the local one, or `<cache>/models--org--name/snapshots/<commit>`. */
  dir: string;
  /** Where it came from: a local directory, the cache without any request, or the hub. */
  source: 'local' | 'cache' | 'hub';
  repoId?: string;
  revision?: string;
  commit?: string;
  /** Files downloaded by this call (repository paths). */
  downloaded?: string[];
}

interface RemoteFile {
  path: string;
  etag: string;
  size: number;
}

/** A directory → itself; an existing file or a path-like string that does not exist → HubError. */
async function localDir(idOrDir: string): Promise<string | undefined> {
  const abs = resolve(idOrDir);
  try {
    if ((await stat(abs)).isDirectory()) return abs;
    throw new HubError('not-a-directory', `model path ${abs} is a file, expected a model directory or a hub id`);
  } catch (e) {
    if (e instanceof HubError) throw e;
  }
  const id = idOrDir.split('@')[0];
  if (/^(\.|\/|~)|\\/.test(id) || id.split('/').length > 2) {
    throw new HubError('not-a-directory', `model directory ${abs} does not exist`);
  }
  return undefined;
}

function remoteFile(e: ListFileEntry): RemoteFile {
  // huggingface_hub names blobs by the X-Linked-Etag (LFS: the sha256) or ETag (the git blob id): the tree's
  // lfs.oid and oid are the same values, known before any download.
  return e.lfs ? { path: e.path, etag: e.lfs.oid, size: e.lfs.size } : { path: e.path, etag: e.oid!, size: e.size };
}

function fileUrl(ctx: HubContext, commit: string, file: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${ctx.endpoint}/${ctx.repoId}/resolve/${commit}/${path}`;
}

async function fetchFiles(
  files: RemoteFile[],
  cache: RepoCache,
  commit: string,
  ctx: HubContext,
  hubFetch: HubFetch,
  options: ResolveModelOptions,
): Promise<string[]> {
  const snapshot = cache.snapshot(commit);
  const absent: RemoteFile[] = [];
  for (const f of files) if (!(await isFile(join(snapshot, f.path)))) absent.push(f);
  const todo: RemoteFile[] = [];
  for (const f of absent) if (!(await isFile(cache.blob(f.etag)))) todo.push(f);
  for (const [fileIndex, f] of todo.entries()) {
    const onBytes = (loaded: number, total: number) =>
      options.onProgress?.({ repoId: ctx.repoId, file: f.path, loaded, total, fileIndex, fileCount: todo.length });
    const url = fileUrl(ctx, commit, f.path);
    const blobPath = cache.blob(f.etag);
    await downloadBlob(
      { file: f.path, url, blobPath, etag: f.etag, size: f.size, onBytes },
      hubFetch,
      ctx,
    );
  }
  // Blobs are shared between snapshots (a file unchanged across commits is stored once).
  for (const f of absent) await linkBlob(cache.blob(f.etag), join(snapshot, f.path));
  return todo.map((f) => f.path);
}

export async function resolveModel(idOrDir: string, options: ResolveModelOptions = {}): Promise<ResolvedModel> {
  const local = await localDir(idOrDir);
  if (local) return { dir: local, source: 'local' };
  const ref = parseHubRef(idOrDir);
  if (!ref) {
    throw new HubError(
      'invalid-id',
      `'${idOrDir}' is neither a model directory nor a hub id like 'org/name[@revision]'`,
    );
  }
  const { repoId } = ref;
  if (ref.revision && options.revision && ref.revision !== options.revision) {
    throw new HubError(
      'invalid-id',
      `'${idOrDir}' names revision '${ref.revision}' but options.revision is '${options.revision}'`,
    );
  }
  const revision = ref.revision ?? options.revision ?? 'main';
  const settings = await hubSettings(options);
  const cache = repoCache(settings.cacheDir, repoId);

  const cachedCommit = isCommitHash(revision) ? revision : await readRef(cache, revision);
  if (cachedCommit && (!options.refresh || settings.offline)) {
    const missing = await snapshotMissing(cache.snapshot(cachedCommit), options.files);
    if (missing.length === 0)
      return { dir: cache.snapshot(cachedCommit), source: 'cache', repoId, revision, commit: cachedCommit };
    if (settings.offline) {
      throw new HubError(
        'offline-cache-miss',
        `offline (HF_HUB_OFFLINE): the cached snapshot ${cache.snapshot(cachedCommit)} of '${repoId}' lacks ${missing.join(', ')}`,
        { repoId, revision, path: cache.snapshot(cachedCommit) },
      );
    }
  } else if (settings.offline) {
    throw new HubError(
      'offline-cache-miss',
      `offline (HF_HUB_OFFLINE): '${repoId}' revision '${revision}' is not in the cache ${settings.cacheDir} ` +
        `(no ${cache.ref(revision)}); run once online to download it`,
      { repoId, revision, path: cache.root },
    );
  }

  const ctx: HubContext = { ...settings, repoId, revision, fetch: options.fetch, signal: options.signal };
  const hubFetch = createHubFetch(ctx);
  const hubUrl = settings.endpoint;
  const info = await modelInfo({
    name: repoId,
    revision,
    hubUrl,
    additionalFields: ['sha'],
    fetch: hubFetch({ kind: 'info' }),
  });
  const commit = info.sha;
  if (!commit || !isCommitHash(commit)) {
    throw new HubError(
      'http',
      `${hubUrl} gave no commit for '${repoId}' revision '${revision}' (sha: ${String(commit)})`,
      { repoId, revision },
    );
  }
  if (!isCommitHash(revision)) await writeRef(cache, revision, commit);

  const recursive = options.files?.some((f) => f.includes('/')) ?? false;
  const tree = new Map<string, RemoteFile>();
  for await (const e of listFiles({
    repo: repoId,
    revision: commit,
    recursive,
    hubUrl,
    fetch: hubFetch({ kind: 'tree' }),
  })) {
    if (e.type === 'file') tree.set(e.path, remoteFile(e));
  }
  const pick = (paths: string[]) => paths.map((p) => tree.get(p)!);
  const { files, sharded } = selectModelFiles(new Set(tree.keys()), repoId, options.files);
  const downloaded = await fetchFiles(pick(files), cache, commit, ctx, hubFetch, options);
  if (sharded) {
    const shards = await shardFiles(join(cache.snapshot(commit), SAFETENSORS_INDEX_FILE));
    const absent = shards.filter((s) => !tree.has(s));
    if (absent.length) {
      throw new HubError(
        'file-not-found',
        `repository '${repoId}' lacks the shards ${absent.join(', ')} its ${SAFETENSORS_INDEX_FILE} names`,
        { repoId, revision, file: absent[0] },
      );
    }
    downloaded.push(...(await fetchFiles(pick(shards), cache, commit, ctx, hubFetch, options)));
  }
  return { dir: cache.snapshot(commit), source: 'hub', repoId, revision, commit, downloaded };
}
