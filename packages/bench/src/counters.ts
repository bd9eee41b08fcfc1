// Counting what a step costs beyond wall time: tfjs kernels (every backend) and, on WebGPU, command-buffer
// submits, compute dispatches, pipeline creations and buffer read-backs (`mapAsync`). Counters wrap methods for
// the duration of a measurement and restore them afterwards, so nothing stays patched after runBench returns.
import * as tf from '@tensorflow/tfjs-core';

export interface GpuCounts {
  submits: number;
  dispatches: number;
  pipelines: number;
  readbacks: number;
  /** Milliseconds inside `queue.submit` calls (Dawn validates and hands the commands to the driver there). */
  submitMs: number;
  /** Milliseconds from each `mapAsync` call until its promise settled (waiting for the GPU and the copy). */
  readbackWaitMs: number;
}

export interface Counter<C> {
  /** Counts since the counter was installed (or last reset). */
  read(): C;
  reset(): void;
  /** Restores every wrapped method. */
  uninstall(): void;
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * Replaces `owner[key]` with a wrapper that calls `onCall` then the original, and `onDone` with the milliseconds
 * the call took (until its promise settled, for an async one); returns the undo.
 */
function wrap(owner: object, key: string, onCall: () => void, onDone?: (ms: number) => void): () => void {
  const o = owner as Record<string, AnyFn>;
  const original = o[key];
  if (typeof original !== 'function') return () => undefined;
  const own = Object.prototype.hasOwnProperty.call(owner, key);
  o[key] = function (this: unknown, ...args: unknown[]) {
    onCall();
    if (onDone === undefined) return original.apply(this, args);
    const t0 = performance.now();
    const out = original.apply(this, args);
    if (out instanceof Promise) {
      out.then(
        () => onDone(performance.now() - t0),
        () => onDone(performance.now() - t0),
      );
    } else {
      onDone(performance.now() - t0);
    }
    return out;
  };
  return () => {
    if (own) o[key] = original;
    else delete o[key];
  };
}

/** Counts the tfjs kernels run on any backend (the engine's `runKernelFunc`, which every op goes through). */
export function countKernels(): Counter<number> {
  let n = 0;
  const engine = tf.engine() as unknown as object;
  const undo = wrap(engine, 'runKernelFunc', () => (n += 1));
  return { read: () => n, reset: () => (n = 0), uninstall: undo };
}

interface GpuDeviceLike {
  queue: object;
  createCommandEncoder(): { beginComputePass(): object & { end(): void } };
  createBuffer(d: { size: number; usage: number }): object & { destroy(): void };
}

/**
 * Counts WebGPU work of the current tfjs backend (tfjs-backend-webgpu's `device`): `queue.submit`, compute passes'
 * `dispatchWorkgroups`, `createComputePipeline(Async)` and `GPUBuffer.mapAsync`. The pass and buffer methods are
 * wrapped on their prototypes (Dawn's `GPUComputePassEncoder.prototype`, or the browser's), found from a throwaway
 * pass and buffer. Returns null when the backend holds no GPU device.
 */
export function countGpuWork(): Counter<GpuCounts> | null {
  const device = (tf.backend() as unknown as { device?: GpuDeviceLike }).device;
  if (device === undefined || typeof device.createCommandEncoder !== 'function') return null;
  const c: GpuCounts = { submits: 0, dispatches: 0, pipelines: 0, readbacks: 0, submitMs: 0, readbackWaitMs: 0 };
  const pass = device.createCommandEncoder().beginComputePass();
  pass.end();
  const MAP_READ = 1;
  const COPY_DST = 8;
  const buffer = device.createBuffer({ size: 4, usage: MAP_READ | COPY_DST });
  const undo = [
    wrap(device.queue, 'submit', () => (c.submits += 1), (ms) => (c.submitMs += ms)),
    wrap(device, 'createComputePipeline', () => (c.pipelines += 1)),
    wrap(device, 'createComputePipelineAsync', () => (c.pipelines += 1)),
    wrap(Object.getPrototypeOf(pass) as object, 'dispatchWorkgroups', () => (c.dispatches += 1)),
    wrap(Object.getPrototypeOf(buffer) as object, 'mapAsync', () => (c.readbacks += 1), (ms) => (c.readbackWaitMs += ms)),
  ];
  buffer.destroy();
  return {
    read: () => ({ ...c }),
    reset: () => {
      c.submits = c.dispatches = c.pipelines = c.readbacks = c.submitMs = c.readbackWaitMs = 0;
    },
    uninstall: () => undo.reverse().forEach((u) => u()),
  };
}
