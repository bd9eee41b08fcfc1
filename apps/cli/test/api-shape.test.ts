// One async API (issue 10): no package exports an `...Async` twin, and no package or app source reads tensors
// synchronously (dataSync / arraySync / bufferSync block on a GPU read-back and fail on WebGPU in Node). The lint
// rule says the same at edit time; this test keeps it true for every built entry point.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const packages = readdirSync(join(root, 'packages')).filter((d) => existsSync(join(root, 'packages', d, 'package.json')));

function entryFiles(dir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { private?: boolean; exports?: Record<string, unknown> };
  if (pkg.private) return [];
  const files: string[] = [];
  const walk = (x: unknown) => {
    if (typeof x === 'string') {
      if (x.endsWith('.js') && !x.endsWith('.d.ts')) files.push(join(dir, x));
    } else if (x && typeof x === 'object') for (const v of Object.values(x)) walk(v);
  };
  for (const [k, v] of Object.entries(pkg.exports ?? {})) if (k !== './package.json') walk(v);
  return [...new Set(files)].filter((f) => !f.endsWith('.cjs'));
}

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n) ? [p] : [];
  });
}

describe('one async API', () => {
  it.each(packages)('@bertkit/%s exports no name ending in Async', async (name) => {
    const files = entryFiles(join(root, 'packages', name));
    for (const f of files) {
      expect(existsSync(f), `${f} (build the package first)`).toBe(true);
      const mod = (await import(pathToFileURL(f).href)) as Record<string, unknown>;
      expect(Object.keys(mod).filter((k) => k.endsWith('Async')), f).toEqual([]);
    }
  });

  it('no package or app source calls dataSync / arraySync / bufferSync', () => {
    const dirs = [...packages.map((p) => join(root, 'packages', p, 'src')), ...['cli', 'server', 'web'].map((a) => join(root, 'apps', a, 'src'))];
    const hits: string[] = [];
    for (const f of dirs.flatMap(sources)) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\.(dataSync|arraySync|bufferSync)\s*\(/.test(line) && !/^\s*(\/\/|\*)/.test(line)) hits.push(`${f.slice(root.length)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });
});
