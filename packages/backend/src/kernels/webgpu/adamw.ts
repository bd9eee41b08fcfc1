// AdamW over many parameter tensors in one dispatch (llm.c's `adamw_kernel`): the parameters, gradients and
// both moments of every tensor are packed one after another (buffer-copy.ts), each invocation updates one
// element and finds its tensor's coefficients (decay factor, step size, bias correction) by binary search in a
// table of offsets. The arithmetic is training/src/adamw.ts's, step by step, in float32.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { flatDispatch, scalars, type ProgramUniform } from './run-program.js';

const THREADS = 256;

/**
 * Inputs: packed [4·N] = params | grads | m | v; starts [K + 1] int32 (element offset of each tensor, then N);
 * coeffs [K, 3] = (1 - lr·wd, lr / (1 - β1^t), sqrt(1 - β2^t)) per tensor; scale [1] (the gradient multiplier,
 * e.g. the clipping coefficient). Output [3·N] = params' | m' | v'.
 */
export class AdamWProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey = 'bertkit_adamw';
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [THREADS, 1, 1];
  readonly variableNames = ['packedIn', 'starts', 'coeffs', 'scale'];
  readonly uniforms = 'n : i32, k : i32, beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, eps : f32,';

  constructor(
    private readonly n: number,
    private readonly k: number,
    private readonly hyper: { beta1: number; beta2: number; eps: number },
  ) {
    this.outputShape = [3 * n];
    this.dispatch = flatDispatch(Math.ceil(n / THREADS));
  }

  uniformData(): ProgramUniform[] {
    const { beta1, beta2, eps } = this.hyper;
    return [...scalars('int32', [this.n, this.k]), ...scalars('float32', [beta1, 1 - beta1, beta2, 1 - beta2, eps])];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        let n = uniforms.n;
        if (index >= n) { return; }
        var lo = 0;
        var hi = uniforms.k - 1;
        loop { // the last tensor whose start is <= index
          if (lo >= hi) { break; }
          let mid = (lo + hi + 1) / 2;
          if (starts[mid] <= index) { lo = mid; } else { hi = mid - 1; }
        }
        let decayFactor = coeffs[lo * 3];
        let stepSize = coeffs[lo * 3 + 1];
        let bc2Sqrt = coeffs[lo * 3 + 2];
        let p = packedIn[index];
        let g = packedIn[n + index] * scale[0];
        let m = packedIn[2 * n + index] * uniforms.beta1 + g * uniforms.oneMinusBeta1;
        let v = packedIn[3 * n + index] * uniforms.beta2 + (g * g) * uniforms.oneMinusBeta2;
        let denom = sqrt(v) / bc2Sqrt + uniforms.eps;
        result[index] = p * decayFactor - (m / denom) * stepSize;
        result[n + index] = m;
        result[2 * n + index] = v;
      }
    `;
  }
}
