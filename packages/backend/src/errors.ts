/**
 * Typed errors of @bertkit/backend. Each message names the backend or the argument, what was expected and what
 * was found, so that a caller can act on it without reading this package's source.
 */
import type { BackendName } from './types.js';

export type { BackendName } from './types.js';

/** A backend could not be initialised (not installed, no adapter, registration failed, bad option, ...). */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    /** The backend concerned, or 'initBackend' for errors about the options themselves. */
    readonly backend: BackendName | 'initBackend',
    readonly reason: string,
  ) {
    super(`${backend === 'initBackend' ? 'initBackend' : `backend '${backend}'`}: ${reason}`);
  }
}

/** An op received tensors whose shapes or dtypes do not fit together. */
export class OpShapeError extends Error {
  override readonly name = 'OpShapeError';
  constructor(
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
  }
}
