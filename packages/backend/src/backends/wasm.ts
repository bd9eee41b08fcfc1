import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';
import { isInitialised, isNode, messageOf } from '../runtime.js';
import { registerWasmIdentity } from './wasm-identity.js';

/**
 * tfjs-backend-wasm (XNNPACK, SIMD when the runtime has it). In the browser the `.wasm` files are fetched from
 * `wasmPaths` (default: next to the bundled script); in Node they are read from the installed package, and with
 * `threads` > 1 the threaded SIMD build runs on worker_threads (wasm-node-threads.ts).
 * Its transposed matmuls and the missing UnsortedSegmentSum kernel are worked around by this package's ops.
 */
export async function initWasm(wasmPaths?: string | Record<string, string>, threads = 1): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!isInitialised('wasm')) {
    if (isNode() && threads > 1) {
      try {
        await (await import('../wasm-node-threads.js')).registerThreadedWasm(threads);
      } catch (e) {
        throw new BackendError('wasm', `starting ${threads} wasm threads failed: ${messageOf(e)} (wasmThreads: 1 runs single-threaded)`);
      }
    }
    const paths = wasmPaths ?? (isNode() ? (await import('../wasm-node.js')).nodeWasmDir() : undefined);
    if (typeof paths === 'string') wasm.setWasmPaths(paths);
    else if (paths !== undefined) wasm.setWasmPaths(paths as Parameters<typeof wasm.setWasmPaths>[0]);
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend('wasm');
  } catch (e) {
    throw new BackendError('wasm', `loading the .wasm binary failed: ${messageOf(e)}`);
  }
  if (!ok) {
    throw new BackendError('wasm', 'loading the .wasm binary failed (set wasmPaths to where the .wasm files are served)');
  }
  registerWasmIdentity();
}
