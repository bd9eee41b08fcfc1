// Node only (reached through a dynamic import from backends/wasm.ts, or from the ./node entry).
import { isNode } from './runtime.js';

type NodeModule = { createRequire(from: string): { resolve(id: string): string } };

/**
 * The folder holding tfjs-backend-wasm's `.wasm` files, with a trailing '/', found from the installed package
 * (so it also holds when the calling script lives elsewhere), or undefined when it cannot be resolved.
 */
export function nodeWasmDir(): string | undefined {
  if (!isNode()) return undefined;
  const proc = globalThis.process as unknown as { getBuiltinModule?: (id: string) => unknown };
  const mod = proc.getBuiltinModule?.('node:module') as NodeModule | undefined;
  if (mod === undefined) return undefined; // Node < 20.16: tfjs-backend-wasm finds its files itself
  try {
    const pkg = mod.createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
    return pkg.slice(0, pkg.length - 'package.json'.length) + 'dist/';
  } catch {
    return undefined;
  }
}
