// The README's example runs as written, with plain Node against the built package (dist, export condition 'node').
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const pkg = (rel: string) => fileURLToPath(new URL(`../${rel}`, import.meta.url));
const built = existsSync(pkg('dist/index.node.js'));
if (!built) console.warn('dist/index.node.js not built (run pnpm build): README example test skipped');

describe.skipIf(!built)('README example', () => {
  test('prints the values its comments state', () => {
    const readme = readFileSync(pkg('README.md'), 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toMatch(/initBackend/);
    // inside the package folder so that '@bertkit/backend' resolves to this package (self-reference)
    mkdirSync(pkg('.bertkit-cache'), { recursive: true });
    const file = pkg('.bertkit-cache/readme-example.mjs');
    writeFileSync(file, code ?? '');
    const out = execFileSync(process.execPath, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 90_000 });
    expect(out).toMatch(/^(webgpu|wasm|cpu|tfjs-node|tfjs-node-gpu) /);
    expect(out).toContain('Float32Array(2) [ 4.5, 4.5 ]');
    expect(out).toContain('Float32Array(3) [ 1, 1, 2 ]');
  });
});
