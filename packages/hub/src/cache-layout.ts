/**
 * The hub cache layout huggingface_hub (Python) writes and reads, so that one download serves both:
 *
 *   <cacheDir>/models--<org>--<name>/
 *     blobs/<etag>                       file contents; etag = sha256 for LFS files, the git blob id otherwise
 *     refs/<revision>                    the commit hash a branch or tag pointed to
 *     snapshots/<commit>/<file>          symlink to ../../blobs/<etag> (a copy where symlinks fail)
 *
 * See huggingface_hub/file_download.py (`_create_symlink`, `_cache_commit_hash_for_specific_revision`).
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

export interface RepoCache {
  /** `<cacheDir>/models--org--name` */
  root: string;
  blob(etag: string): string;
  ref(revision: string): string;
  snapshot(commit: string): string;
}

export function repoCache(cacheDir: string, repoId: string): RepoCache {
  const root = join(cacheDir, `models--${repoId.split('/').join('--')}`);
  return {
    root,
    blob: (etag) => join(root, 'blobs', etag),
    ref: (revision) => join(root, 'refs', ...revision.split('/')),
    snapshot: (commit) => join(root, 'snapshots', commit),
  };
}

/** The commit a cached ref points to, or undefined when the ref was never cached. */
export async function readRef(cache: RepoCache, revision: string): Promise<string | undefined> {
  try {
    const commit = (await readFile(cache.ref(revision), 'utf8')).trim();
    return commit || undefined;
  } catch {
    return undefined;
  }
}

export async function writeRef(cache: RepoCache, revision: string, commit: string): Promise<void> {
  const path = cache.ref(revision);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, commit);
}

/** True when `path` exists as a file (following symlinks: a dangling link does not count). */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export type LinkKind = 'symlink' | 'copy';

/**
 * Points `pointer` at `blob` with a relative symlink (the cache survives being moved), or copies the blob where
 * symlinks are not allowed (Windows without developer mode), as huggingface_hub's `_create_symlink` does.
 * `link` is injectable so that the fallback can be tested.
 */
export async function linkBlob(blob: string, pointer: string, link: typeof symlink = symlink): Promise<LinkKind> {
  await mkdir(dirname(pointer), { recursive: true });
  await rm(pointer, { force: true });
  try {
    await link(relative(dirname(pointer), blob), pointer);
    return 'symlink';
  } catch {
    await copyFile(blob, pointer, constants.COPYFILE_FICLONE);
    return 'copy';
  }
}
