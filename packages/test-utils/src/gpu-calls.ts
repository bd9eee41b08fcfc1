// Counts the WebGPU work a piece of code issues, from outside the program: compute dispatches
// (`GPUComputePassEncoder.dispatchWorkgroups`), queue submits (`GPUQueue.submit`) and buffer read-backs
// (`GPUBuffer.mapAsync`), by wrapping those prototype methods of the GPU* globals (Dawn's in Node, installed by
// initBackend({ backend: 'webgpu' })). Test and bench code only: it patches globals until `stop()`.

export interface GpuCalls {
  dispatches: number;
  submits: number;
  mapAsyncs: number;
}

export interface GpuCallCounter {
  /** The counts since the counter started (or since the last `reset()`). */
  read(): GpuCalls;
  reset(): void;
  /** Restores the original methods. */
  stop(): void;
}

const WRAPPED: Array<[string, string, keyof GpuCalls]> = [
  ['GPUComputePassEncoder', 'dispatchWorkgroups', 'dispatches'],
  ['GPUQueue', 'submit', 'submits'],
  ['GPUBuffer', 'mapAsync', 'mapAsyncs'],
];

/** Starts counting. Throws when a GPU* global is missing (WebGPU not initialised). */
export function countGpuCalls(): GpuCallCounter {
  const counts: GpuCalls = { dispatches: 0, submits: 0, mapAsyncs: 0 };
  const g = globalThis as Record<string, unknown>;
  const restore: Array<() => void> = [];
  for (const [cls, method, field] of WRAPPED) {
    const proto = (g[cls] as { prototype?: Record<string, unknown> } | undefined)?.prototype;
    const original = proto?.[method];
    if (proto === undefined || typeof original !== 'function') {
      restore.forEach((r) => r());
      throw new Error(`countGpuCalls: expected the global ${cls}.prototype.${method} (is WebGPU initialised?), found none`);
    }
    proto[method] = function (this: unknown, ...args: unknown[]) {
      counts[field]++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    restore.push(() => {
      proto[method] = original;
    });
  }
  return {
    read: () => ({ ...counts }),
    reset: () => {
      counts.dispatches = 0;
      counts.submits = 0;
      counts.mapAsyncs = 0;
    },
    stop: () => restore.forEach((r) => r()),
  };
}
