// Every ```ts block of README.md runs as written (against the built package: `pnpm build` first, which turbo's
// `test` → `build` dependency does), and prints what its comments say.
import { describeReadme } from '@bertkit/test-utils/readme-suite';
import { expect } from 'vitest';

describeReadme(import.meta.url, {
  runnable: 2,
  prints: (results) => {
    const [example, describeBlock] = results.map((r) => r.stdout.split('\n'));
    expect(example[0]).toMatch(/^backend: (webgpu|tfjs-node-gpu|tfjs-node|wasm|cpu)$/);
    const chosen = example[0].slice('backend: '.length);
    // every other backend is listed with its reason
    expect(example[1]).toMatch(/^not chosen: /);
    expect(example[1].slice('not chosen: '.length).split(', ').sort()).toEqual(
      ['webgpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'].filter((b) => b !== chosen).sort(),
    );
    expect(example[2]).toMatch(new RegExp(`^${chosen} .*· 0 tensors, 0\\.0 MB$`));
    expect(example.slice(3)).toEqual(['[ 4.5, 4.5 ]', '[ 1, 1, 2 ]', '1.6672 0.5', '24 0.126880', '']);
    expect(describeBlock[0]).toMatch(/^wasm \{"simd":(true|false),"threads":(true|false)\}$/);
    expect(describeBlock[1]).toMatch(/^wasm \((SIMD|no SIMD), (threads|one thread)\) · 0 tensors, 0\.0 MB$/);
  },
});
