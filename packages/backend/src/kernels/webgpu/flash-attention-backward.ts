// The gradient of self-attention over a packed Q/K/V projection in one dispatch (FlashAttention's backward pass,
// Dao et al. 2022 §3.1 / Alg. 4, with the probabilities recomputed and never stored): one workgroup per
// (batch, head) makes three passes over its rows — each query's softmax statistics (max, 1 / sum) and
// Dᵢ = dOᵢ·Oᵢ into workgroup memory; each key's dKⱼ, dVⱼ; each query's dQᵢ — and writes d(qkv) [B, T, 3H] in
// the packed layout, i.e. directly the gradient of the fused projection's output. With P = softmax(S),
// P' = P ⊙ M (the dropout multipliers of flash-attention.ts), O = P'·V:
//   dV = P'ᵀ·dO,  dP = (dO·Vᵀ) ⊙ M,  dS = P ⊙ (dP − D),  dQ = scale·dS·K,  dK = scale·dSᵀ·Q.
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { DROPOUT_WGSL } from '../../ops/dropout-hash.js';
import { dropoutUniforms } from './dropout.js';
import type { FlashAttentionShape } from './flash-attention.js';
import { WGSL_COMMON, flatDispatch, scalars, type ProgramUniform } from './run-program.js';

const THREADS = 64;

/** Longest sequence the backward kernel takes (three [T] float arrays of workgroup memory, 6 KiB at 512). */
export const MAX_BACKWARD_SEQ = 512;

/**
 * Inputs: qkv [B, T, 3·A·D], context [B, T, A·D] (the forward result), dOut [B, T, A·D], (mask [B | 1, A | 1,
 * T | 1, T]); output d(qkv) [B, T, 3·A·D]. `shape.layout` must be 'packed' with tq = tk.
 */
export class FlashAttentionBackwardProgram implements WebGPUProgram {
  readonly outputShape: number[];
  shaderKey: string;
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number] = [THREADS, 1, 1];
  readonly variableNames: string[];
  readonly uniforms = 'batch : i32, heads : i32, t : i32, mB : i32, mA : i32, mQ : i32, scale : f32, key : u32, threshold : u32, keepScale : f32,';
  private readonly tMax: number;

  constructor(private readonly s: FlashAttentionShape) {
    if (s.layout !== 'packed' || s.tq !== s.tk || s.tq > MAX_BACKWARD_SEQ) {
      throw new Error(`FlashAttentionBackwardProgram: expected packed self-attention with T ≤ ${MAX_BACKWARD_SEQ}, got ${s.layout} ${s.tq} × ${s.tk}`);
    }
    const h = s.heads * s.headSize;
    this.outputShape = [s.batch, s.tq, 3 * h];
    this.variableNames = ['qkv', 'context', 'dOut', ...(s.mask === null ? [] : ['mask'])];
    this.dispatch = flatDispatch(s.batch * s.heads);
    this.tMax = Math.max(THREADS, Math.ceil(s.tq / THREADS) * THREADS);
    this.shaderKey = `bertkit_flash_attention_backward_${s.headSize}_${this.tMax}_${s.mask !== null}_${(s.dropout ?? null) !== null}`;
  }

  uniformData(): ProgramUniform[] {
    const { batch, heads, tq: t } = this.s;
    const m = this.s.mask ?? [1, 1, 1, t];
    const mStrides = [m[0] === 1 ? 0 : m[1] * m[2] * t, m[1] === 1 ? 0 : m[2] * t, m[2] === 1 ? 0 : t];
    return [...scalars('int32', [batch, heads, t, ...mStrides]), ...scalars('float32', [this.s.scale]), ...dropoutUniforms(this.s.dropout ?? null)];
  }

  getUserCode(): string {
    const d = this.s.headSize;
    const width = d % 4 === 0 ? 4 : 1;
    const vt = width === 4 ? 'vec4<f32>' : 'f32';
    const load = (arr: string, at: string) =>
      width === 4 ? `vec4<f32>(${arr}[${at}], ${arr}[${at} + 1], ${arr}[${at} + 2], ${arr}[${at} + 3])` : `${arr}[${at}]`;
    const dotV = width === 4 ? 'dot(a, b)' : 'a * b';
    const store = (at: string, v: string) =>
      width === 4 ? `for (var e = 0; e < 4; e = e + 1) { setOutputAtIndex(${at} + e, ${v}[e]); }` : `setOutputAtIndex(${at}, ${v});`;
    const maskAt = this.s.mask === null ? '0.0' : 'mask[mRow + j]';
    const drop = (this.s.dropout ?? null) === null ? '1.0' : 'dropoutScale(uniforms.key, u32(dRow + j), uniforms.threshold, uniforms.keepScale)';
    return `
      ${WGSL_COMMON}
      ${DROPOUT_WGSL}
      const DV = ${d / width};
      const D = ${d};
      const THREADS = ${THREADS};
      var<workgroup> rowMax : array<f32, ${this.tMax}>;
      var<workgroup> rowInv : array<f32, ${this.tMax}>; // 1 / Σ exp(s - max)
      var<workgroup> rowD : array<f32, ${this.tMax}>; // dOᵢ·Oᵢ

      fn dotV(a : ${vt}, b : ${vt}) -> f32 { return ${dotV}; }

      fn main(index : i32) {
        let bh = min(workgroupIndex(), uniforms.batch * uniforms.heads - 1);
        let valid = workgroupIndex() < uniforms.batch * uniforms.heads;
        let head = bh % uniforms.heads;
        let b = bh / uniforms.heads;
        let t = uniforms.t;
        let h = uniforms.heads * D;
        let lid = i32(localIndex);
        // element d of row r: q at qkv[base3 + r·3H + d], k at + H, v at + 2H; out / dOut at base1 + r·H + d
        let base3 = b * t * 3 * h + head * D;
        let base1 = b * t * h + head * D;

        // pass 1, one query per invocation: softmax statistics and Dᵢ
        for (var i = lid; i < t; i = i + THREADS) {
          var q : array<${vt}, DV>;
          var dO = 0.0;
          for (var c = 0; c < DV; c = c + 1) {
            q[c] = ${load('qkv', `base3 + i * 3 * h + c * ${width}`)};
            dO = dO + dotV(${load('dOut', `base1 + i * h + c * ${width}`)}, ${load('context', `base1 + i * h + c * ${width}`)});
          }
          let mRow = b * uniforms.mB + head * uniforms.mA + i * uniforms.mQ;
          var m = LOWEST;
          var l = 0.0;
          for (var j = 0; j < t; j = j + 1) {
            var s = 0.0;
            for (var c = 0; c < DV; c = c + 1) { s = s + dotV(q[c], ${load('qkv', `base3 + j * 3 * h + h + c * ${width}`)}); }
            s = s * uniforms.scale + ${maskAt};
            let mNew = max(m, s);
            l = l * exp(m - mNew) + exp(s - mNew);
            m = mNew;
          }
          rowMax[i] = m;
          rowInv[i] = 1.0 / l;
          rowD[i] = dO;
        }
        workgroupBarrier();

        // pass 2, one key per invocation: dKⱼ and dVⱼ over every query
        for (var j = lid; j < t; j = j + THREADS) {
          var k : array<${vt}, DV>;
          var v : array<${vt}, DV>;
          var dk : array<${vt}, DV>;
          var dv : array<${vt}, DV>;
          for (var c = 0; c < DV; c = c + 1) {
            k[c] = ${load('qkv', `base3 + j * 3 * h + h + c * ${width}`)};
            v[c] = ${load('qkv', `base3 + j * 3 * h + 2 * h + c * ${width}`)};
          }
          for (var i = 0; i < t; i = i + 1) {
            let mRow = b * uniforms.mB + head * uniforms.mA + i * uniforms.mQ;
            let dRow = (bh * t + i) * t;
            var s = 0.0;
            var dp = 0.0;
            for (var c = 0; c < DV; c = c + 1) {
              s = s + dotV(${load('qkv', `base3 + i * 3 * h + c * ${width}`)}, k[c]);
              dp = dp + dotV(${load('dOut', `base1 + i * h + c * ${width}`)}, v[c]);
            }
            s = s * uniforms.scale + ${maskAt};
            let p = exp(s - rowMax[i]) * rowInv[i];
            let keep = ${drop};
            let ds = p * (dp * keep - rowD[i]);
            for (var c = 0; c < DV; c = c + 1) {
              dv[c] = fma(${vt}(p * keep), ${load('dOut', `base1 + i * h + c * ${width}`)}, dv[c]);
              dk[c] = fma(${vt}(ds), ${load('qkv', `base3 + i * 3 * h + c * ${width}`)}, dk[c]);
            }
          }
          if (valid) {
            for (var c = 0; c < DV; c = c + 1) {
              let kd = dk[c] * uniforms.scale;
              let vd = dv[c];
              ${store(`base3 + j * 3 * h + h + c * ${width}`, 'kd')}
              ${store(`base3 + j * 3 * h + 2 * h + c * ${width}`, 'vd')}
            }
          }
        }

        // pass 3, one query per invocation: dQᵢ over every key
        for (var i = lid; i < t; i = i + THREADS) {
          var q : array<${vt}, DV>;
          var g : array<${vt}, DV>;
          var dq : array<${vt}, DV>;
          for (var c = 0; c < DV; c = c + 1) {
            q[c] = ${load('qkv', `base3 + i * 3 * h + c * ${width}`)};
            g[c] = ${load('dOut', `base1 + i * h + c * ${width}`)};
          }
          let mRow = b * uniforms.mB + head * uniforms.mA + i * uniforms.mQ;
          let dRow = (bh * t + i) * t;
          for (var j = 0; j < t; j = j + 1) {
            var s = 0.0;
            var dp = 0.0;
            for (var c = 0; c < DV; c = c + 1) {
              s = s + dotV(q[c], ${load('qkv', `base3 + j * 3 * h + h + c * ${width}`)});
              dp = dp + dotV(g[c], ${load('qkv', `base3 + j * 3 * h + 2 * h + c * ${width}`)});
            }
            s = s * uniforms.scale + ${maskAt};
            let p = exp(s - rowMax[i]) * rowInv[i];
            let ds = p * (dp * ${drop} - rowD[i]);
            for (var c = 0; c < DV; c = c + 1) { dq[c] = fma(${vt}(ds), ${load('qkv', `base3 + j * 3 * h + h + c * ${width}`)}, dq[c]); }
          }
          if (valid) {
            for (var c = 0; c < DV; c = c + 1) {
              let qd = dq[c] * uniforms.scale;
              ${store(`base3 + i * 3 * h + c * ${width}`, 'qd')}
            }
          }
        }
      }
    `;
  }
}
