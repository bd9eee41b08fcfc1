// A corrected Cast kernel for tfjs-backend-webgpu 4.22 (reached only from backends/webgpu.ts, after that package
// has been imported).
//
// The bug: tfjs's webgpu Cast turns int32 (or bool) into float32 without touching the data — it returns the same
// buffer relabelled float32 (`util.hasEncodingLoss` is false), so the GPU buffer still holds i32 words. Programs
// that read inputs through tfjs's `getA...` helpers convert them, but TransposeProgram copies `A[i]` straight
// into the f32 output, so its WGSL fails to compile ("type mismatch for argument 2 in call to 'setOutputAtIndex',
// expected 'f32', got 'i32'"). A reduction over a non-last axis transposes first, so `tf.sum(tf.cast(mask,
// 'float32'), 1)` on a [B, T, 1] mask hits it; the invalid command buffer is then dropped and every result in it
// reads as zeros or stale data (upstream: tensorflow/tfjs#8638, open). Converting for real removes the mismatch
// at its source, for every program downstream.
import * as tf from '@tensorflow/tfjs-core';

type DataId = object;
interface TensorInfo {
  dataId: DataId;
  shape: number[];
  dtype: tf.DataType;
}

/** The members of tfjs-backend-webgpu's WebGPUBackend the kernel uses (public in its .d.ts). */
interface WebGpuBackendLike {
  tensorMap: { get(id: DataId): { dtype: tf.DataType; values?: ArrayLike<number> | null } };
  shouldExecuteOnCPU(inputs: TensorInfo[]): boolean;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array): TensorInfo;
  runWebGPUProgram(program: object, inputs: TensorInfo[], outputDtype: tf.DataType): TensorInfo;
}

/** tfjs-backend-webgpu's exported `webgpu_util` helpers that lay out a flat dispatch. */
export interface WebGpuUtil {
  flatDispatchLayout(shape: number[]): { x: number[] };
  computeDispatch(layout: { x: number[] }, shape: number[], workgroupSize: [number, number, number]): [number, number, number];
}

/** out[i] = f32(A[i]) for an i32 (int32 or bool) buffer; the shape is unchanged. */
class IntToFloatProgram {
  readonly variableNames = ['A'];
  readonly shaderKey = 'bertkit_int_to_float';
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly size = true;
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  constructor(
    readonly outputShape: number[],
    util: WebGpuUtil,
  ) {
    this.dispatchLayout = util.flatDispatchLayout(outputShape);
    this.dispatch = util.computeDispatch(this.dispatchLayout, outputShape, this.workgroupSize);
  }
  getUserCode(): string {
    // `main(index)` is called by tfjs's generated `_start` with the flat global index.
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, f32(A[index]));
        }
      }`;
  }
}

const FIXED = 'bertkit: int32/bool to float32 converts the data';

/**
 * Replaces the webgpu Cast kernel with one that converts int32 / bool data to float32 (on the CPU while the
 * tensor still lives there, as tfjs does for other casts; else with {@link IntToFloatProgram}); every other cast
 * goes to tfjs's kernel. Idempotent.
 */
export function registerWebGpuCast(util: WebGpuUtil): void {
  const original = tf.getKernel('Cast', 'webgpu');
  if (original === undefined) throw new Error("tfjs-backend-webgpu registered no 'Cast' kernel");
  if ((original as { fixedBy?: string }).fixedBy === FIXED) return;
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = (args.inputs as { x: TensorInfo }).x;
    const dtype = (args.attrs as { dtype: tf.DataType }).dtype;
    const backend = args.backend as unknown as WebGpuBackendLike;
    const stored = backend.tensorMap.get(x.dataId);
    if (dtype !== 'float32' || (stored.dtype !== 'int32' && stored.dtype !== 'bool')) return original.kernelFunc(args);
    if (backend.shouldExecuteOnCPU([x]) && stored.values != null) {
      return backend.makeTensorInfo(x.shape, 'float32', Float32Array.from(stored.values));
    }
    return backend.runWebGPUProgram(new IntToFloatProgram(x.shape, util), [x], 'float32');
  };
  tf.unregisterKernel('Cast', 'webgpu');
  tf.registerKernel({ kernelName: 'Cast', backendName: 'webgpu', kernelFunc, fixedBy: FIXED } as tf.KernelConfig);
}
