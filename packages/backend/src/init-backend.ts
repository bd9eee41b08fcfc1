import * as tf from '@tensorflow/tfjs-core';
import { initCpu } from './backends/cpu.js';
import { initTfjsNode } from './backends/tfjs-node.js';
import { initWasm } from './backends/wasm.js';
import { initWebGpu } from './backends/webgpu.js';
import { BackendError } from './errors.js';
import { isNode, messageOf } from './runtime.js';
import {
  BACKEND_NAMES,
  DEFAULT_PREFERENCE,
  type AdapterSummary,
  type BackendChoice,
  type BackendName,
  type InitBackendOptions,
} from './types.js';

type Initialised = { adapterInfo?: AdapterSummary; notice?: string };

/** Initialises one backend and makes it tfjs's current one; throws a BackendError saying why it cannot. */
async function initOne(name: BackendName, opts: InitBackendOptions): Promise<Initialised> {
  switch (name) {
    case 'webgpu': {
      const ctx = { explicit: opts.backend === 'webgpu', verbose: opts.verbose === true };
      const { summary, notice } = await initWebGpu(opts.webgpu, ctx);
      return notice === undefined ? { adapterInfo: summary } : { adapterInfo: summary, notice };
    }
    case 'tfjs-node':
    case 'tfjs-node-gpu':
      await initTfjsNode(name);
      return {};
    case 'wasm':
      await initWasm(opts.wasmPaths, await wasmThreads(opts.wasmThreads));
      return {};
    case 'cpu':
      await initCpu();
      return {};
  }
}

/** The wasm thread count: the option, 'cores' for the machine's cores (Node), default 1. */
async function wasmThreads(option: number | 'cores' | undefined): Promise<number> {
  if (option === undefined) return 1;
  if (option === 'cores') return isNode() ? (await import('./wasm-node-threads.js')).defaultWasmThreads() : 1;
  if (!Number.isInteger(option) || option < 1) throw new BackendError('initBackend', `wasmThreads: expected an integer >= 1 or 'cores', got ${option}`);
  return option;
}

function validate(opts: InitBackendOptions): BackendName[] {
  if (opts.backend !== undefined && opts.prefer !== undefined) {
    const got = `backend '${opts.backend}' and prefer [${opts.prefer.join(', ')}]`;
    throw new BackendError('initBackend', `give 'backend' or 'prefer', not both (got ${got})`);
  }
  const order = opts.backend !== undefined ? [opts.backend] : (opts.prefer ?? [...DEFAULT_PREFERENCE]);
  if (order.length === 0) throw new BackendError('initBackend', `'prefer' must name at least one backend, got []`);
  for (const n of order) {
    if (!BACKEND_NAMES.includes(n)) {
      const expected = BACKEND_NAMES.join(', ');
      throw new BackendError('initBackend', `unknown backend '${String(n)}', expected one of ${expected}`);
    }
  }
  return order;
}

/**
 * Picks and initialises a tfjs backend: exactly `backend`, or the first of `prefer` that initialises
 * (default {@link DEFAULT_PREFERENCE}: webgpu → tfjs-node-gpu → tfjs-node → wasm → cpu). Detection is by trying:
 * a WebGPU adapter must be granted, a package must load, a wasm binary must compile. A software WebGPU adapter
 * (llvmpipe, SwiftShader, WARP) counts only when WebGPU is named (`backend: 'webgpu'`) or
 * `webgpu.allowSoftwareAdapter` is set; then the choice carries a `notice` (also passed to `onNotice`), which the
 * library never prints. Returns the choice and, for every other backend, why it was not chosen. Throws a
 * BackendError when `backend` (or every preference) fails.
 *
 * @example const { backend, reasons, notice } = await initBackend();
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendChoice> {
  const order = validate(opts);
  const reasons: Partial<Record<BackendName, string>> = {};
  for (const [i, name] of order.entries()) {
    try {
      const { adapterInfo, notice } = await initOne(name, opts);
      await tf.ready();
      for (const later of order.slice(i + 1)) reasons[later] = `not tried: '${name}' came earlier in the preference`;
      for (const other of BACKEND_NAMES) {
        if (other !== name && reasons[other] === undefined) reasons[other] = 'not in the preference list';
      }
      const choice: BackendChoice = { backend: name, reasons };
      if (adapterInfo !== undefined) choice.adapterInfo = adapterInfo;
      if (notice !== undefined) {
        choice.notice = notice;
        opts.onNotice?.(notice);
      }
      return choice;
    } catch (e) {
      reasons[name] = e instanceof BackendError ? e.reason : messageOf(e);
      if (opts.backend !== undefined) throw e instanceof BackendError ? e : new BackendError(name, reasons[name]);
    }
  }
  const why = order.map((n) => `${n}: ${reasons[n]}`).join('; ');
  throw new BackendError('initBackend', `no backend could be initialised (${why})`);
}
