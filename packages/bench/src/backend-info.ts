// The backend a benchmark runs on, and a one-line description of what executes its kernels.
import { initBackend, type BackendName } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';

export interface ChosenBackend {
  backend: BackendName;
  /** The WebGPU adapter (vendor, architecture, description), `wasm simd, N threads`, `js`, `tensorflow`. */
  adapter: string;
}

/** initBackend with `backend` (or the default preference), described for the report. */
export async function chooseBackend(backend: BackendName | undefined, wasmThreads?: number | 'cores'): Promise<ChosenBackend> {
  const choice = await initBackend({ ...(backend === undefined ? {} : { backend }), ...(wasmThreads === undefined ? {} : { wasmThreads }) });
  if (choice.adapterInfo !== undefined) {
    const a = choice.adapterInfo;
    const parts = [a.vendor, a.architecture, a.device, a.description].filter((x) => x !== '');
    return { backend: choice.backend, adapter: `${parts.join(' ')}${a.software ? ' (software)' : ''}, ${a.featureLevel}` };
  }
  if (choice.backend === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    // the threaded build (an Emscripten PThread pool) runs the threads asked for; tfjs's own count reads 1 there
    const b = tf.backend() as unknown as { wasm?: { PThread?: unknown } };
    const threads = b.wasm?.PThread !== undefined && typeof wasmThreads === 'number' ? wasmThreads : 1;
    return { backend: 'wasm', adapter: `wasm${simd ? ' simd' : ''}, ${threads} thread${threads === 1 ? '' : 's'}` };
  }
  return { backend: choice.backend, adapter: choice.backend === 'cpu' ? 'js' : 'tensorflow' };
}
