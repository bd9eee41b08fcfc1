// Running bertkit's own WebGPU programs (the fused kernels beside this file) on tfjs-backend-webgpu, and the
// WGSL pieces they share. The programs follow tfjs-backend-webgpu's `WebGPUProgram` contract: the backend
// prepends the bindings (`result`, one `array<f32|i32>` per variable name, `uniforms` with every input's
// shape), the helpers (`setOutputAtIndex`, ...), and calls `main(index)` from its `_start`.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';

/** One program-defined uniform, in the order of the program's `uniforms` declaration. */
export interface ProgramUniform {
  type: 'float32' | 'int32' | 'uint32';
  data: number[];
}

/** The members of tfjs-backend-webgpu's WebGPUBackend used here (public in its .d.ts). */
interface WebGpuBackendLike {
  runWebGPUProgram(program: WebGPUProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms?: ProgramUniform[]): tf.TensorInfo;
}

function isWebGpuBackend(b: unknown): b is WebGpuBackendLike {
  return typeof (b as Partial<WebGpuBackendLike> | null)?.runWebGPUProgram === 'function';
}

/**
 * Whether the fused WebGPU kernels run here: the active tfjs backend is tfjs-backend-webgpu (or the bertkit
 * subclass initBackend registers). Elsewhere the ops fall back to plain tfjs ops.
 */
export function fusedKernelsAvailable(): boolean {
  return tf.getBackend() === 'webgpu' && isWebGpuBackend(tf.backend());
}

/**
 * Runs `program` on the active WebGPU backend and returns its output as a tracked tensor (disposed by the
 * enclosing tf.tidy like any op's result). One program is one compute dispatch.
 */
export function runProgram(program: WebGPUProgram, inputs: tf.Tensor[], dtype: tf.DataType, uniforms: ProgramUniform[] = []): tf.Tensor {
  const backend = tf.backend();
  if (!isWebGpuBackend(backend)) {
    throw new Error(`${program.constructor.name}: expected the webgpu backend to be active, got '${tf.getBackend()}'`);
  }
  const info = backend.runWebGPUProgram(program, inputs, dtype, uniforms);
  return tf.engine().makeTensorFromTensorInfo(info, backend as unknown as tf.KernelBackend);
}

/** One uniform entry per scalar (tfjs lays each entry out as one struct field). */
export function scalars(type: ProgramUniform['type'], values: number[]): ProgramUniform[] {
  return values.map((v) => ({ type, data: [v] }));
}

/** A flat dispatch of `workgroups` workgroups (tfjs reshapes it to 2-D/3-D past the per-dimension limit). */
export function flatDispatch(workgroups: number): [number, number, number] {
  return [Math.max(1, workgroups), 1, 1];
}

/**
 * WGSL shared by the kernels. `workgroupIndex()`: the flat index of this workgroup, whatever shape tfjs gave the
 * dispatch (the same formula as its `getGlobalIndex`). Workgroup-uniform, so kernels never return early
 * before a barrier: out-of-range workgroups compute on clamped indices and skip their writes.
 * `LOWEST`: -FLT_MAX (float32's min), the start of every running maximum, so a fully masked row (all scores
 * -FLT_MAX, as HF's additive mask makes them) still gets weight exp(0) per key, as in a plain softmax.
 * `erfApprox` is tfjs-backend-webgpu's ERF (Abramowitz & Stegun 7.1.26, |error| ≤ 1.5e-7), so the fused GELU
 * equals the unfused `x·0.5·(1 + erf(x/√2))` on WebGPU; `tanhSafe` is tfjs's TANH (no inf/inf for large |x|).
 */
export const WGSL_COMMON = `
  fn workgroupIndex() -> i32 {
    return i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x);
  }
  const LOWEST = -3.40282346638528859812e+38f;
  fn erfApprox(a : f32) -> f32 {
    let p = 0.3275911;
    let a1 = 0.254829592;
    let a2 = -0.284496736;
    let a3 = 1.421413741;
    let a4 = -1.453152027;
    let a5 = 1.061405429;
    let v = abs(a);
    let t = 1.0 / (1.0 + p * v);
    return sign(a) * (1.0 - (((((a5 * t + a4) * t) + a3) * t + a2) * t + a1) * t * exp(-v * v));
  }
  fn tanhSafe(a : f32) -> f32 {
    let e2x = exp(-2.0 * abs(a));
    return sign(a) * (1.0 - e2x) / (1.0 + e2x);
  }
`;
