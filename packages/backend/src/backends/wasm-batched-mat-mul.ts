// A batched matrix product for tfjs-backend-wasm that runs XNNPACK's fully-connected operator once per batch
// entry. tfjs-backend-wasm 4.22 uses XNNPACK only for un-batched, un-transposed products; every batched one
// (attention's [B, A, T, D] products and their gradients) falls back to a naive blocked triple loop
// (batch_mat_mul_impl.cc `slow_batch_matmul`), 5-7x slower per FLOP. Here each entry's operands are registered
// with the wasm side as views into the batched buffers (no copy), multiplied by the module's own `BatchMatMul`
// export on its XNNPACK path, and the views are released again.
import * as tf from '@tensorflow/tfjs-core';

/** The kernel's name in tfjs's registry (backend 'wasm'). */
export const WASM_BATCHED_MAT_MUL = 'BertkitBatchedMatMul';

type WasmBatchMatMul = (
  aId: number, aShape: Uint8Array, aRank: number,
  bId: number, bShape: Uint8Array, bRank: number,
  transposeA: number, transposeB: number, outId: number,
) => void;

interface WasmModule {
  cwrap(name: string, ret: null, args: string[]): WasmBatchMatMul;
  tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
}

/** The parts of tfjs-backend-wasm's BackendWasm this kernel uses (its public class fields). */
interface BackendWasmLike {
  wasm: WasmModule;
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

const ARG_TYPES = ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number'];

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);

/** [..., M, K] x [..., K, N] with equal batch dims (already checked by matMul) -> [..., M, N]. */
function batchedMatMulWasm({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const be = backend as BackendWasmLike;
  const r = a.shape.length;
  const [m, k, n] = [a.shape[r - 2], a.shape[r - 1], b.shape[r - 1]];
  const batch = a.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const out = be.makeOutput([...a.shape.slice(0, -2), m, n], 'float32');
  if (batch * m * n === 0) return out;
  const run = be.wasm.cwrap('BatchMatMul', null, ARG_TYPES);
  const [aAt, bAt, outAt] = [a, b, out].map((t) => be.dataIdMap.get(t.dataId).memoryOffset);
  const [aShape, bShape] = [shapeBytes([1, m, k]), shapeBytes([1, k, n])];
  const views: number[] = [];
  const view = (size: number, offset: number) => {
    const id = be.dataIdNextNumber++; // the backend's own id sequence, so views never collide with tensors
    be.wasm.tfjs.registerTensor(id, size, offset);
    views.push(id);
    return id;
  };
  try {
    for (let i = 0; i < batch; i++) {
      const ai = view(m * k, aAt + 4 * i * m * k);
      const bi = view(k * n, bAt + 4 * i * k * n);
      const oi = view(m * n, outAt + 4 * i * m * n);
      run(ai, aShape, 3, bi, bShape, 3, 0, 0, oi);
      // releasing the views (not their memory) also drops the XNNPACK operator cached on bi
      for (const id of views.splice(0)) be.wasm.tfjs.disposeData(id);
    }
  } finally {
    for (const id of views) be.wasm.tfjs.disposeData(id);
  }
  return out;
}

/**
 * Registers the kernel once per tfjs registry and says whether it can be used: only on the wasm backend, whose
 * module must export `BatchMatMul` and `registerTensor` as tfjs-backend-wasm 4.x does.
 */
export function wasmBatchedMatMulReady(): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  const be = tf.backend() as unknown as Partial<BackendWasmLike>;
  if (typeof be.wasm?.cwrap !== 'function' || typeof be.wasm.tfjs?.registerTensor !== 'function' || typeof be.dataIdNextNumber !== 'number') {
    return false;
  }
  if (tf.getKernel(WASM_BATCHED_MAT_MUL, 'wasm') === undefined) {
    tf.registerKernel({ kernelName: WASM_BATCHED_MAT_MUL, backendName: 'wasm', kernelFunc: batchedMatMulWasm as unknown as tf.KernelFunc });
  }
  return true;
}
