// Locates ../shared (fixtures, models, data) for tests. Tests run with the package directory as cwd, so the
// default `../shared/fixtures` (relative to the repository root) is resolved from the repository root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding pnpm-workspace.yaml). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** `$BERTKIT_FIXTURES` (absolute, or relative to the repository root), default `../shared/fixtures`. */
export function fixturesDir(): string {
  const env = process.env.BERTKIT_FIXTURES;
  const dir = env && env.length > 0 ? env : '../shared/fixtures';
  return isAbsolute(dir) ? dir : resolve(repoRoot, dir);
}

/** The shared folder: the parent of the fixtures folder (holds models/ and data/). */
export function sharedDir(): string {
  return dirname(fixturesDir());
}

/** Why fixture tests are skipped, or null when the folder is there. */
export function fixturesMissing(sub = ''): string | null {
  const dir = join(fixturesDir(), sub);
  return existsSync(dir) ? null : `fixtures not found at ${dir} (set BERTKIT_FIXTURES): parity tests skipped`;
}

/** Why a shared data/model path is unavailable, or null when it exists. */
export function sharedMissing(rel: string): string | null {
  const p = join(sharedDir(), rel);
  return existsSync(p) ? null : `${p} not found (../shared absent?): test skipped`;
}

/** Reads `<fixtures>/<sub>/manifest.json`; null when absent (callers skip with fixturesMissing's message). */
export function readManifest<T = unknown>(sub: string): T | null {
  const p = join(fixturesDir(), sub, 'manifest.json');
  if (!existsSync(p)) return null;
  return JSON.parse(readFileSync(p, 'utf8')) as T;
}

/** Resolves a path given relative to a fixtures sub-folder's manifest. */
export function fixturePath(sub: string, rel: string): string {
  return resolve(fixturesDir(), sub, rel);
}

/** Resolves a path inside ../shared (e.g. `data/squad/dev-v1.1.json`, `models/...`). */
export function sharedPath(rel: string): string {
  return join(sharedDir(), rel);
}

/** A `forward[]` case of `fixtures/encoder/manifest.json` (paths relative to the manifest). */
export interface EncoderForwardCase {
  name: string;
  head: string;
  model: string;
  inputs: string;
  golden: string;
}
