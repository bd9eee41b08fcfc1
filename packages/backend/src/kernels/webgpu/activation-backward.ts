// dz = dy · act'(z) in one elementwise dispatch: the backward pass of fused-linear.ts's epilogue activations,
// the derivatives of ops/activations.ts's `activationDerivative` with the kernels' erf and tanh.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { FusedActivation } from './fused-linear.js';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

const THREADS = 256;

const DERIVATIVES: Record<FusedActivation, string> = {
  // Φ(z) + z·φ(z)
  gelu: 'return 0.5 * (1.0 + erfApprox(z * 0.7071067811865476)) + z * 0.3989422804014327 * exp(-0.5 * z * z);',
  gelu_tanh: `let t = tanhSafe(0.7978845608028654 * (z + 0.044715 * z * z * z));
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * 0.7978845608028654 * (1.0 + 3.0 * 0.044715 * z * z);`,
  relu: 'return select(0.0, 1.0, z > 0.0);',
  tanh: 'let t = tanhSafe(z); return 1.0 - t * t;',
};

/** Inputs dy [n], z [n] (the pre-activation); output dz [n]. */
export class ActivationBackwardProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [THREADS, 1, 1];
  readonly variableNames = ['dy', 'z'];
  readonly uniforms = 'n : i32,';

  constructor(
    private readonly n: number,
    private readonly activation: FusedActivation,
  ) {
    this.outputShape = [n];
    this.dispatch = flatDispatch(Math.ceil(n / THREADS));
    this.shaderKey = `bertkit_activation_backward_${activation}`;
  }

  uniformData(): ProgramUniform[] {
    return scalars('int32', [this.n]);
  }

  getUserCode(): string {
    return `
      ${WGSL_COMMON}
      fn derivative(z : f32) -> f32 {
        ${DERIVATIVES[this.activation]}
      }
      fn main(index : i32) {
        if (index < uniforms.n) { result[index] = dy[index] * derivative(z[index]); }
      }
    `;
  }
}
