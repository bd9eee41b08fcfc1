// Packing many tensors into one flat buffer (and slicing it back) with buffer-to-buffer copies recorded on
// tfjs-backend-webgpu's own command encoder: copies are not compute dispatches, keep their order with the
// backend's queued kernels, and let one kernel read or write many parameters (a WebGPU shader binds at most
// 8 storage buffers by default, BERT has ~200 parameter tensors). The backend members used here are public
// in its JavaScript (not in its .d.ts), hence the narrow interface below.
import * as tf from '@tensorflow/tfjs-core';

type DataId = object;

interface GpuBufferLike {
  readonly size: number;
}
interface CommandEncoderLike {
  copyBufferToBuffer(src: GpuBufferLike, srcOffset: number, dst: GpuBufferLike, dstOffset: number, size: number): void;
}
interface WebGpuInternals {
  tensorMap: { get(dataId: DataId): { resource: unknown } | undefined };
  uploadToGPU(dataId: DataId): void;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  commandEncoder: CommandEncoderLike;
  commandQueueOwnedIds: WeakSet<DataId>;
  makeTensorInfo(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

function internals(): WebGpuInternals {
  const b = tf.backend() as unknown as Partial<WebGpuInternals>;
  if (tf.getBackend() !== 'webgpu' || typeof b.uploadToGPU !== 'function' || typeof b.ensureCommandEncoderReady !== 'function') {
    throw new Error(`buffer copies: expected the webgpu backend to be active, got '${tf.getBackend()}'`);
  }
  return b as WebGpuInternals;
}

function bufferOf(b: WebGpuInternals, dataId: DataId): GpuBufferLike {
  b.uploadToGPU(dataId); // a tensor still holding CPU values is uploaded first (staging copy, no dispatch)
  const resource = b.tensorMap.get(dataId)?.resource as GpuBufferLike | undefined;
  if (resource == null || typeof resource.size !== 'number') throw new Error('buffer copies: expected a tensor stored in a GPU buffer');
  return resource;
}

function encoder(b: WebGpuInternals): CommandEncoderLike {
  b.ensureCommandEncoderReady();
  b.endComputePassEncoder(); // copies are recorded between compute passes
  return b.commandEncoder;
}

/** A new float32 tensor [Σ sizes]: the tensors' values one after another (their order). No dispatch. */
export function packTensors(parts: readonly tf.Tensor[]): tf.Tensor1D {
  const b = internals();
  const total = parts.reduce((n, t) => n + t.size, 0);
  const out = b.makeTensorInfo([total], 'float32');
  const dst = bufferOf(b, out.dataId);
  const enc = encoder(b);
  let offset = 0;
  for (const t of parts) {
    if (t.dtype !== 'float32') throw new Error(`packTensors: expected float32 tensors, got ${t.dtype}`);
    if (t.size > 0) {
      enc.copyBufferToBuffer(bufferOf(b, t.dataId), 0, dst, offset * 4, t.size * 4);
      b.commandQueueOwnedIds.add(t.dataId); // freed only after the queued copy ran
    }
    offset += t.size;
  }
  b.commandQueueOwnedIds.add(out.dataId);
  return tf.engine().makeTensorFromTensorInfo(out, b as unknown as tf.KernelBackend) as tf.Tensor1D;
}

/** New float32 tensors of the given shapes copied from `flat` at the given element offsets. No dispatch. */
export function unpackTensors(flat: tf.Tensor, pieces: ReadonlyArray<{ offset: number; shape: number[] }>): tf.Tensor[] {
  const b = internals();
  const src = bufferOf(b, flat.dataId);
  b.commandQueueOwnedIds.add(flat.dataId);
  return pieces.map(({ offset, shape }) => {
    const size = shape.reduce((n, d) => n * d, 1);
    if (offset < 0 || offset + size > flat.size) {
      throw new Error(`unpackTensors: piece [${offset}, ${offset + size}) expected within [0, ${flat.size})`);
    }
    const info = b.makeTensorInfo(shape, 'float32');
    if (size > 0) {
      const dst = bufferOf(b, info.dataId);
      encoder(b).copyBufferToBuffer(src, offset * 4, dst, 0, size * 4);
      b.commandQueueOwnedIds.add(info.dataId);
    }
    return tf.engine().makeTensorFromTensorInfo(info, b as unknown as tf.KernelBackend);
  });
}

/**
 * The most elements a packed vector of `copies` × N float32 values may hold for one binding on this device
 * (`maxStorageBufferBindingSize`, 128 MiB by the WebGPU default).
 */
export function maxPackedElements(copies: number): number {
  const limits = (tf.backend() as unknown as { device?: { limits?: { maxStorageBufferBindingSize?: number } } }).device?.limits;
  const bytes = limits?.maxStorageBufferBindingSize ?? 134217728;
  return Math.floor(bytes / (4 * copies));
}

/** Consecutive groups of indices whose sizes sum to at most `max` (a larger single size forms its own group). */
export function packGroups(sizes: readonly number[], max: number): number[][] {
  const groups: number[][] = [];
  let cur: number[] = [];
  let total = 0;
  sizes.forEach((s, i) => {
    if (cur.length > 0 && total + s > max) {
      groups.push(cur);
      cur = [];
      total = 0;
    }
    cur.push(i);
    total += s;
  });
  if (cur.length > 0) groups.push(cur);
  return groups;
}
