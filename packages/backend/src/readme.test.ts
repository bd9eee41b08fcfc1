// Every ```ts block of README.md runs as written (against the built package: `pnpm build` first, which turbo's
// `test` → `build` dependency does), and prints what its comments say.
import { runReadmeBlocks, type ReadmeBlockResult } from '@bertkit/test-utils/readme';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('README.md', () => {
  let results: ReadmeBlockResult[] = [];
  beforeAll(async () => {
    results = await runReadmeBlocks(readme);
  }, 300_000);

  it('has runnable ts blocks, and each exits 0', () => {
    expect(results.filter((r) => !r.skipped).length).toBe(2);
    for (const r of results) if (!r.skipped) expect(r.exitCode, `README.md:${r.line}\n${r.stderr}`).toBe(0);
  });

  it('prints what its comments say', () => {
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
  });
});
