// The root entry must bundle for the browser: no node: built-ins and not the Node-only `webgpu` package in its
// module graph (they are reached only through variable dynamic imports on the Node path).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

const root = (rel: string) => fileURLToPath(new URL(`../${rel}`, import.meta.url));

describe('browser safety of the root entry', () => {
  test('src/index.ts bundles for platform "browser" without node: modules or the webgpu package', async () => {
    const out = await build({
      entryPoints: [root('src/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.filter((p) => p.startsWith('node:'))).toEqual([]);
    expect(inputs.filter((p) => /node_modules\/webgpu\//.test(p))).toEqual([]);
    expect(inputs.some((p) => p.includes('tfjs-backend-webgpu'))).toBe(true); // the browser WebGPU path is there
  });

  const dist = root('dist/index.js');
  test.skipIf(!existsSync(dist) && 'dist/index.js not built (run pnpm build): check skipped')(
    'built dist/index.js (and the chunks it statically imports) imports no node: module and not webgpu',
    () => {
      const seen = new Set<string>();
      const bare: string[] = [];
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"()]*from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)) {
          const spec = m[1] ?? m[2];
          if (spec.startsWith('./')) visit(fileURLToPath(new URL(spec, `file://${file}`)));
          else bare.push(spec);
        }
      };
      visit(dist);
      expect(bare).toContain('@tensorflow/tfjs-core');
      expect(bare.filter((s) => s.startsWith('node:') || s === 'webgpu')).toEqual([]);
    },
  );
});
