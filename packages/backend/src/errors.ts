/**
 * Typed errors of @bertkit/backend. Each message names the backend or the argument, what was expected and what
 * was found, so that a caller can act on it without reading this package's source.
 */

/** Names of the backends {@link initBackend} can pick. */
export type BackendName = 'webgpu' | 'tfjs-node' | 'tfjs-node-gpu' | 'wasm' | 'cpu';

/** A backend could not be initialised (not installed, no adapter, registration failed, ...). */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly backend: BackendName | string,
    readonly reason: string,
  ) {
    super(`backend '${backend}': ${reason}`);
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
