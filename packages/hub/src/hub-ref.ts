/**
 * Hub model ids: `org/name`, a bare legacy `name` (`bert-base-uncased`), optionally `@revision` (a branch, tag or
 * commit; it may hold slashes, as `refs/pr/1`). Names follow the hub's rules: letters, digits, `-_.`, no `--`/`..`.
 */
export interface HubRef {
  repoId: string;
  revision?: string;
}

const PART = /^[A-Za-z0-9](?:[\w.-]{0,94}[\w])?$/;

function validPart(p: string): boolean {
  return PART.test(p) && !p.includes('--') && !p.includes('..');
}

/** The id and revision of `s`, or null when `s` is not a hub id. */
export function parseHubRef(s: string): HubRef | null {
  const at = s.indexOf('@');
  const id = at < 0 ? s : s.slice(0, at);
  const revision = at < 0 ? undefined : s.slice(at + 1);
  if (revision !== undefined && (revision === '' || revision.includes('..') || revision.startsWith('/'))) return null;
  const parts = id.split('/');
  if (parts.length > 2 || !parts.every(validPart)) return null;
  return revision === undefined ? { repoId: id } : { repoId: id, revision };
}

/** A full 40-hex git commit id: a revision that never moves. */
export function isCommitHash(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}
