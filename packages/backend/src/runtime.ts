/** Where we are running. Browser-safe: touches no Node module. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' && typeof (globalThis as { document?: unknown }).document === 'undefined';
}

/**
 * Imports a package that may be absent (an optional peer such as @tensorflow/tfjs-node, or the Node-only
 * `webgpu` package). The specifier is a variable so that browser bundlers do not try to resolve it.
 */
export async function importOptional<T>(specifier: string): Promise<T> {
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as T;
}

/** The message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
