// tfjs-backend-wasm's Identity kernel copies its input into a new heap buffer. tfjs-core runs Identity (`clone`) on
// every tensor a kernel saves for its gradient, so on wasm each activation kept for the backward pass existed twice:
// a mini BERT (4 × 256) at batch 32 × 128 ran out of the 4 GB wasm heap in one training step, and the copies cost
// time. tfjs tensors are immutable (Variable.assign rebinds, it does not write into the buffer), so a clone may share
// its input's buffer, as the wasm backend's own Reshape and the cpu backend's Identity already do: this kernel adds a
// reference to the buffer instead of copying it. Strings keep the original kernel.
import * as tf from '@tensorflow/tfjs-core';

interface WasmIdentityBackend {
  incRef(dataId: object): void;
}

const SHARED = 'bertkit-shared-buffer';

/** Replaces the wasm backend's Identity kernel with one that shares the input's buffer (once per registry). */
export function registerWasmIdentity(): void {
  const original = tf.getKernel('Identity', 'wasm');
  if (original === undefined || (original as { sharedBy?: string }).sharedBy === SHARED) return;
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    if (x.dtype === 'string') return original.kernelFunc(args);
    (args.backend as unknown as WasmIdentityBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc, sharedBy: SHARED } as tf.KernelConfig);
}
