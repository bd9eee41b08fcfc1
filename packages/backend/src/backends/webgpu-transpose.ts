// A fix for tfjs-backend-webgpu 4.22's TransposeProgram on int32 / bool data (reached only from
// backends/webgpu.ts). Its WGSL copies `A[i]` straight into `setOutputAtIndex(i, value : f32)`; when A holds i32
// words, that does not compile ("type mismatch for argument 2 in call to 'setOutputAtIndex', expected 'f32', got
// 'i32'"; upstream tensorflow/tfjs#8638 and PR #8616, open). Every int32 transpose hits it, and so does every
// reduction of an int32 tensor over a non-last axis (tf.sum(ids, 1)), which transposes first through an internal
// call that no kernel override reaches, so the program itself is corrected where the backend runs it.

/** The members of a tfjs WebGPU program this looks at. */
export interface WebGpuProgramLike {
  shaderKey: string;
  getUserCode(): string;
}

/** TransposeProgram's shader keys are `transpose_<perm>` (TransposeSharedProgram's 'transposeShared' converts). */
const TRANSPOSE_KEY = /^transpose_/;
/** The one statement that needs the conversion: `setOutputAtIndex(flatIndex, A[getIndexFromCoordsND(...)]);`. */
const COPY = /setOutputAtIndex\(flatIndex, (A\[[\s\S]*?\])\);/;

/**
 * Returns the program to run: `program` itself, or, for a TransposeProgram whose input buffer holds i32 words
 * (`storedDtype` int32 or bool), the same program with `f32(A[...])` in its WGSL. int32 values go through f32
 * as everywhere in tfjs-backend-webgpu (exact up to 2^24). The shader cache key already includes the input
 * dtype, so the corrected shader never replaces the float32 one. Throws when the WGSL no longer has the
 * statement (a tfjs upgrade changed the program: check whether the fix is still needed).
 */
export function fixIntTranspose<P extends WebGpuProgramLike>(program: P, storedDtype: string): P {
  if (!TRANSPOSE_KEY.test(program.shaderKey) || storedDtype === 'float32') return program;
  const userCode = program.getUserCode.bind(program);
  const fixed = Object.create(program) as P;
  fixed.getUserCode = () => {
    const code = userCode();
    if (!COPY.test(code)) {
      throw new Error(`TransposeProgram '${program.shaderKey}': expected 'setOutputAtIndex(flatIndex, A[...])' in its WGSL, found none`);
    }
    return code.replace(COPY, 'setOutputAtIndex(flatIndex, f32($1));');
  };
  return fixed;
}
