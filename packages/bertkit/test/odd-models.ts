// The odd fixture models (fixtures/encoder/models/odd, HF-saved, vocab 99) as complete model directories: their
// config and weights plus a generated vocab.txt in which token id i is `w<i>` (ids 0-4 the special tokens, as the
// fixture inputs use them), so that a text of `w<i>` words encodes to exactly the golden input ids.
import { readSafetensors, toFloat32 } from '@bertkit/encoder';
import { fixturePath, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const manifest = readManifest<{ forward: EncoderForwardCase[]; tolerance: { forward_abs: number } }>('encoder');
export const tolerance = manifest?.tolerance.forward_abs ?? 1e-5;

const SPECIAL = ['[PAD]', '[CLS]', '[SEP]', '[MASK]', '[UNK]'];

/** The vocabulary: id → token; `maskAt` moves [MASK] to that id (its old id becomes `w3`). */
export function oddVocab(maskAt = 3): string[] {
  const v = [...SPECIAL, ...Array.from({ length: 94 }, (_, i) => `w${i + 5}`)];
  if (maskAt !== 3) [v[3], v[maskAt]] = ['w3', '[MASK]'];
  return v;
}

const made: string[] = [];

/** A temp model directory: the fixture model `odd/<name>` with a vocab.txt (removed by `removeOddModelDirs`). */
export function oddModelDir(name: string, vocab = oddVocab()): string {
  const src = fixturePath('encoder', `models/odd/${name}`);
  const dir = mkdtempSync(join(tmpdir(), `bertkit-odd-${name}-`));
  made.push(dir);
  for (const f of readdirSync(src)) copyFileSync(join(src, f), join(dir, f));
  writeFileSync(join(dir, 'vocab.txt'), vocab.join('\n') + '\n');
  return dir;
}

/** Removes the directories `oddModelDir` made (call in afterAll). */
export function removeOddModelDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** The text of a run of ids in `vocab`. */
export const textOf = (ids: readonly number[], vocab = oddVocab()) => ids.map((i) => vocab[i]).join(' ');

export interface GoldenRow {
  ids: number[];
  /** Segment A and B ids (between [CLS] … [SEP] … [SEP]). */
  a: number[];
  b: number[];
}

/** The golden inputs' rows, padding dropped, split at [SEP]. */
export function goldenRows(inputs = 'goldens/odd/inputs.json'): GoldenRow[] {
  type Ids = number[][] | number[][][]; // [B, T], or [B, C, T] for multiple choice (flattened to B·C rows)
  const j = JSON.parse(readFileSync(fixturePath('encoder', inputs), 'utf8')) as { input_ids: Ids; attention_mask: Ids };
  const rows2d = (x: Ids) => (Array.isArray(x[0][0]) ? (x as number[][][]).flat() : (x as number[][]));
  const [inputIds, mask] = [rows2d(j.input_ids), rows2d(j.attention_mask)];
  return inputIds.map((row, r) => {
    const ids = row.filter((_, t) => mask[r][t] === 1);
    const sep = ids.indexOf(2);
    return { ids, a: ids.slice(1, sep), b: ids.slice(sep + 1, ids.length - 1) };
  });
}

/** A golden tensor as float32 values and its shape. */
export function golden(file: string, name: string): { data: Float32Array; shape: number[] } {
  const t = readSafetensors(readFileSync(fixturePath('encoder', file))).tensors.get(name);
  if (!t) throw new Error(`${file}: no tensor ${name}`);
  return { data: toFloat32(t), shape: t.shape };
}

/** Row-major slice [at, at + n). */
export const slice = (g: { data: Float32Array }, at: number, n: number) => Array.from(g.data.subarray(at, at + n));

export const softmax = (xs: number[]) => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

export const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return a.length === b.length ? m : Infinity;
};
