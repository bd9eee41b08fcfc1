// Writing and resuming checkpoints on disk (Node). A checkpoint is one directory `<root>/checkpoint-<step>`:
//   config.json, model.safetensors, vocab.txt   — an HF model directory (written by the caller's `writeModel`)
//   optimizer.safetensors                       — AdamW moments (`exp_avg.<param>`, `exp_avg_sq.<param>`)
//   trainer_state.json                          — step, data position, RNG state, schedule, run config
// It is written atomically: everything goes to a hidden temp directory, every file and the directory are
// fsynced, then one rename(2) publishes it. A `kill -9` at any moment leaves either the previous checkpoints or
// the new one complete, never a half-written one; leftover temp directories are ignored and swept later.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensors, writeSafetensors } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';
import type { AdamWState } from './adamw.js';
import {
  optimizerFromTensors,
  optimizerToTensors,
  parseTrainerState,
  type F32Tensor,
  type TrainerState,
} from './checkpoint.js';
import { CheckpointError } from './errors.js';

const PREFIX = 'checkpoint-';
const TMP_PREFIX = '.tmp-checkpoint-';

/** Writes bytes and fsyncs before closing, so a rename after it never publishes an empty file. */
export function writeFileSynced(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'w');
  try {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface SaveCheckpointOptions {
  state: TrainerState;
  optimizer: AdamWState;
  /** Writes the model files (config.json, model.safetensors) into the given (temporary) directory. */
  writeModel: (dir: string) => Promise<void> | void;
  /** Copied into the checkpoint as `vocab.txt` (so it is a complete HF directory). */
  vocabFile?: string;
  /** Keep only the newest N checkpoints under the root (default: keep all). */
  keepLast?: number;
}

/** The directory name of a step's checkpoint (zero-padded so names sort by step). */
export function checkpointName(step: number): string {
  return `${PREFIX}${String(step).padStart(8, '0')}`;
}

/** Writes `<root>/checkpoint-<step>` atomically; returns its path. */
export async function saveCheckpoint(root: string, opts: SaveCheckpointOptions): Promise<string> {
  const { state } = opts;
  if (opts.keepLast !== undefined && !(Number.isInteger(opts.keepLast) && opts.keepLast >= 1)) {
    throw new CheckpointError(`saveCheckpoint keepLast: expected an integer >= 1, got ${opts.keepLast}`);
  }
  await mkdir(root, { recursive: true });
  const final = join(root, checkpointName(state.step));
  const tmp = join(root, `${TMP_PREFIX}${state.step}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);
  try {
    await opts.writeModel(tmp);
    if (opts.vocabFile) await copyFile(opts.vocabFile, join(tmp, 'vocab.txt'));
    const { tensors, metadata } = optimizerToTensors(opts.optimizer);
    writeFileSynced(join(tmp, 'optimizer.safetensors'), writeSafetensors(tensors, metadata));
    writeFileSynced(join(tmp, 'trainer_state.json'), `${JSON.stringify(state, null, 1)}\n`);
    for (const f of await readdir(tmp)) fsyncPath(join(tmp, f)); // the model writer's files too
    fsyncPath(tmp);
    // rename(2) cannot replace a non-empty directory: move an older same-step checkpoint aside first.
    const old = `${final}.old-${process.pid}`;
    const hadOld = await exists(final);
    if (hadOld) await rename(final, old);
    await rename(tmp, final);
    fsyncPath(root);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  await sweep(root, opts.keepLast);
  return final;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Checkpoints under a root, oldest first, as `{step, dir}`. */
export async function listCheckpoints(root: string): Promise<{ step: number; dir: string }[]> {
  if (!(await exists(root))) return [];
  const out: { step: number; dir: string }[] = [];
  for (const name of await readdir(root)) {
    const m = /^checkpoint-(\d+)$/.exec(name);
    if (m && (await exists(join(root, name, 'trainer_state.json')))) out.push({ step: Number(m[1]), dir: join(root, name) });
  }
  return out.sort((a, b) => a.step - b.step);
}

/** The newest complete checkpoint under a root, or null. */
export async function latestCheckpoint(root: string): Promise<string | null> {
  const all = await listCheckpoints(root);
  return all.length > 0 ? all[all.length - 1].dir : null;
}

async function sweep(root: string, keepLast: number | undefined): Promise<void> {
  for (const name of await readdir(root)) {
    // temp dirs of a crashed writer (another pid); ours was renamed already
    if (name.startsWith(TMP_PREFIX) && !name.endsWith(`-${process.pid}`)) await rm(join(root, name), { recursive: true, force: true });
  }
  if (keepLast === undefined) return;
  const all = await listCheckpoints(root);
  for (const c of all.slice(0, Math.max(0, all.length - keepLast))) await rm(c.dir, { recursive: true, force: true });
}

export interface LoadedCheckpoint {
  dir: string;
  state: TrainerState;
  optimizer: AdamWState;
}

/** Reads a checkpoint directory's trainer state and optimizer state (the model is loaded by the caller). */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const statePath = join(dir, 'trainer_state.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(statePath, 'utf8'));
  } catch (e) {
    throw new CheckpointError(`${statePath}: expected a readable JSON file, got ${(e as Error).message}`);
  }
  const state = parseTrainerState(json, statePath);
  const optPath = join(dir, 'optimizer.safetensors');
  const file = readSafetensors(new Uint8Array(await readFile(optPath)));
  const optimizer = optimizerFromTensors(file.tensors, file.metadata, optPath);
  return { dir, state, optimizer };
}

/**
 * A generic model writer for tasks that are not a BertModel: every named variable as F32 into
 * `model.safetensors` under its own name. (BERT runs pass encoder's `saveModel` instead.)
 */
export function variablesWriter(params: ReadonlyMap<string, tf.Variable>): (dir: string) => Promise<void> {
  return async (dir) => {
    const tensors = new Map<string, F32Tensor>();
    for (const [name, v] of params) tensors.set(name, { dtype: 'F32', shape: v.shape.slice(), data: (await v.data()) as Float32Array });
    writeFileSynced(join(dir, 'model.safetensors'), writeSafetensors(tensors));
  };
}

/** Restores named variables written by `variablesWriter` (every variable must be present with its shape). */
export async function loadVariables(dir: string, params: ReadonlyMap<string, tf.Variable>): Promise<void> {
  const path = join(dir, 'model.safetensors');
  const file = readSafetensors(new Uint8Array(await readFile(path)));
  for (const [name, v] of params) {
    const t = file.tensors.get(name);
    if (!t) throw new CheckpointError(`${path}: tensor "${name}" expected, not found`);
    if (t.dtype !== 'F32' || !tf.util.arraysEqual(t.shape, v.shape)) {
      throw new CheckpointError(`${path}: "${name}" expected F32 [${v.shape}], got ${t.dtype} [${t.shape}]`);
    }
    tf.tidy(() => v.assign(tf.tensor(Float32Array.from(t.data as Float32Array), v.shape, 'float32')));
  }
}

