// Checkpoint read/write throughput (MB/s) of the pure-TypeScript readers on the fixture checkpoints: safetensors
// read (zero-copy views + validation), F32 → BF16/F16 → F32 widening, safetensors write, and the torch zip pickle
// reader. The peer measured in the same run is a plain memcpy of the same bytes into a preallocated buffer, so the ratio
// says how far each reader is from just touching the memory. Not a test: prints numbers, asserts nothing.
// Usage: tsup bench/checkpoint-read.ts --no-config --format esm --platform node --target node20 \
//          --out-dir dist/bench --silent && node dist/bench/checkpoint-read.js [--seconds 2]
import { readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fromFloat32, toFloat32, type RawTensor } from '../src/checkpoint/raw-tensor.js';
import { readSafetensors, writeSafetensors } from '../src/checkpoint/safetensors.js';
import { readTorchBin } from '../src/checkpoint/torch-pickle.js';

// Run from the package folder (as `pnpm bench` does): the repository root is ../.., its fixtures ../shared/fixtures.
const root = resolve(process.cwd(), '../..');
const env = process.env.BERTKIT_FIXTURES;
const fixtures = env ? (isAbsolute(env) ? env : resolve(root, env)) : resolve(root, '../shared/fixtures');
const fixturePath = (sub: string, rel: string): string => join(fixtures, sub, rel);
const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;

/** Median seconds of one call of `f` over repeated runs within the time budget (after one warm-up). */
function time(f: () => unknown): number {
  f();
  const runs: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (runs.length < 5 || (performance.now() < end && runs.length < 1000)) {
    const t0 = performance.now();
    f();
    runs.push((performance.now() - t0) / 1000);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)];
}

function report(label: string, bytes: number, s: number, memcpy: number): void {
  const mbs = bytes / 1e6 / s;
  console.log(`${label.padEnd(44)} ${(s * 1000).toFixed(2).padStart(9)} ms ${mbs.toFixed(0).padStart(8)} MB/s   ${(memcpy / s).toFixed(3)}× memcpy`);
}

/** Every F32 tensor re-encoded with a 16-bit dtype (to time the narrowing and widening paths). */
function as16(tensors: Map<string, RawTensor>, dtype: 'F16' | 'BF16'): Map<string, RawTensor> {
  const out = new Map<string, RawTensor>();
  for (const [k, t] of tensors) out.set(k, fromFloat32(toFloat32(t), t.shape, dtype));
  return out;
}

console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}`);
const tinyPath = fixturePath('encoder', 'models/tiny/pretraining/model.safetensors');
if (!existsSync(tinyPath)) {
  console.log(`${tinyPath} not found (set BERTKIT_FIXTURES): nothing to measure`);
  process.exit(0);
}
const tiny = new Uint8Array(readFileSync(tinyPath));
const scratch = new Uint8Array(tiny.length);
const memcpy = time(() => scratch.set(tiny));
console.log(`tiny pretraining checkpoint: ${(tiny.length / 1e6).toFixed(1)} MB`);
report('memcpy into a preallocated buffer (peer)', tiny.length, memcpy, memcpy);
report('readSafetensors (header + validation, views)', tiny.length, time(() => readSafetensors(tiny)), memcpy);
const { tensors } = readSafetensors(tiny);
report('readSafetensors + toFloat32 copy of each F32', tiny.length, time(() => {
  for (const t of readSafetensors(tiny).tensors.values()) toFloat32(t).slice();
}), memcpy);
report('writeSafetensors', tiny.length, time(() => writeSafetensors(tensors)), memcpy);
for (const dtype of ['BF16', 'F16'] as const) {
  report(`fromFloat32 (F32 → ${dtype}) of every tensor`, tiny.length, time(() => as16(tensors, dtype)), memcpy);
  const half = writeSafetensors(as16(tensors, dtype));
  report(`readSafetensors + toFloat32 (${dtype} → F32)`, half.length, time(() => {
    for (const t of readSafetensors(half).tensors.values()) toFloat32(t);
  }), memcpy * (half.length / tiny.length));
}
const binPath = fixturePath('encoder', 'models/odd/base-legacy-bin/pytorch_model.bin');
if (existsSync(binPath)) {
  const bin = new Uint8Array(readFileSync(binPath));
  const binScratch = new Uint8Array(bin.length);
  const binCopy = time(() => binScratch.set(bin));
  console.log(`odd base pytorch_model.bin: ${(bin.length / 1e3).toFixed(0)} kB (56 tensors; per-file overhead dominates)`);
  report('memcpy into a preallocated buffer (peer)', bin.length, binCopy, binCopy);
  report('readTorchBin', bin.length, time(() => readTorchBin(bin)), binCopy);
}
