import * as tf from '@tensorflow/tfjs-core';

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

/**
 * Whether tfjs already holds an initialised backend of this name. (tf.findBackend would not do: it initialises
 * a registered factory as a side effect.)
 */
export function isInitialised(tfName: string): boolean {
  return tfName in (tf.engine() as unknown as { registry: Record<string, unknown> }).registry;
}
