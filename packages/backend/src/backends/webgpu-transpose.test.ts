import { describe, expect, test } from 'vitest';
import { fixIntTranspose } from './webgpu-transpose.js';

// tfjs-backend-webgpu 4.22's TransposeProgram body, as getUserCode() returns it for a rank-3 [0, 2, 1] transpose.
const TRANSPOSE_WGSL = `
  fn main(index : i32) {
    for(var i = 0; i < 1; i = i + 1) {
      let flatIndex = index * 1 + i;
      if(flatIndex < uniforms.size) {
        let coords = getCoordsFromIndex(flatIndex);
        setOutputAtIndex(flatIndex, A[getIndexFromCoords3D(
          vec3<i32>(coords.x,coords.z,coords.y), uniforms.aShape)]);
      }
    }
  }`;

const program = (shaderKey: string, code = TRANSPOSE_WGSL) => ({ shaderKey, getUserCode: () => code, outputShape: [2, 3, 4] });

describe('fixIntTranspose', () => {
  test('an int32 or bool TransposeProgram reads A through f32(); the rest of the program is inherited', () => {
    for (const dtype of ['int32', 'bool']) {
      const fixed = fixIntTranspose(program('transpose_0,2,1'), dtype);
      expect(fixed.getUserCode()).toContain(`setOutputAtIndex(flatIndex, f32(A[getIndexFromCoords3D(
          vec3<i32>(coords.x,coords.z,coords.y), uniforms.aShape)]));`);
      expect(fixed.shaderKey).toBe('transpose_0,2,1');
      expect(fixed.outputShape).toEqual([2, 3, 4]);
    }
  });

  test('float32 transposes and other programs are returned untouched', () => {
    const p = program('transpose_0,2,1');
    expect(fixIntTranspose(p, 'float32')).toBe(p);
    const q = program('transposeShared');
    expect(fixIntTranspose(q, 'int32')).toBe(q);
  });

  test('a TransposeProgram whose WGSL changed throws, naming the program', () => {
    const fixed = fixIntTranspose(program('transpose_1,0,2', 'fn main(index : i32) {}'), 'int32');
    expect(() => fixed.getUserCode()).toThrow(/^TransposeProgram 'transpose_1,0,2': expected 'setOutputAtIndex\(flatIndex, A\[\.\.\.\]\)'/);
  });
});
