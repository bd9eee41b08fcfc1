/**
 * The one error type of @bertkit/hub. `code` says what went wrong so that an app can react (ask for a token, offer
 * offline mode); the message names the repository, the revision or file, the endpoint or cache path, and what to do.
 */
export type HubErrorCode =
  | 'invalid-id' // neither an existing directory nor a valid hub id
  | 'not-a-directory' // a local path that is missing or is a file
  | 'repo-not-found' // 404 / X-Error-Code RepoNotFound
  | 'revision-not-found' // X-Error-Code RevisionNotFound
  | 'file-not-found' // a requested or required file is not in the repository
  | 'gated' // X-Error-Code GatedRepo: needs a token of an account that accepted the terms
  | 'unauthorized' // 401 / 403 otherwise: private repository, bad token
  | 'network' // the endpoint could not be reached, or a download was cut
  | 'offline-cache-miss' // offline mode and the snapshot is not (completely) in the cache
  | 'integrity' // downloaded bytes do not match the size or sha256 the hub announced
  | 'http'; // any other HTTP failure

export interface HubErrorDetails {
  repoId?: string;
  revision?: string;
  file?: string;
  status?: number;
  url?: string;
  /** The cache folder concerned (offline errors, interrupted downloads). */
  path?: string;
}

export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly code: HubErrorCode,
    message: string,
    readonly details: HubErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
