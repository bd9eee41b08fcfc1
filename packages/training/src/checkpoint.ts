// The platform-free half of a training checkpoint: what `trainer_state.json` holds and how the optimizer state
// maps to named tensors for `optimizer.safetensors` (torch's names: `exp_avg` / `exp_avg_sq` per parameter). The
// Node half (atomic directory writes, resume) is in checkpoint-node.ts. A checkpoint directory is an HF model
// directory (config.json, model.safetensors, vocab.txt) plus these two files, so `from_pretrained` loads it.
import type { RngState } from '@bertkit/backend';
import type { AdamWState } from './adamw.js';
import { CheckpointError } from './errors.js';

export const TRAINER_STATE_FORMAT = 'bertkit-trainer-state';
export const OPTIMIZER_FORMAT = 'bertkit-adamw';

/** `trainer_state.json`: everything besides tensors that a resumed run needs to continue exactly. */
export interface TrainerState {
  format: typeof TRAINER_STATE_FORMAT;
  version: 1;
  /** Optimizer steps done. */
  step: number;
  /** Micro-batches consumed (where the data stream resumes). */
  dataPosition: number;
  /** The run's RNG (dropout etc.), or null when the run has none. */
  rngState: RngState | null;
  /** Schedule description (e.g. `{kind: 'linear', peakLr, warmupSteps, totalSteps, style}`), informational. */
  schedule?: Record<string, unknown>;
  /** The run's configuration (objective, batch size, seed, ...), as the application wants it back. */
  config?: Record<string, unknown>;
  /** Anything else the application needs on resume (e.g. a data generator's own RNG state). */
  extra?: Record<string, unknown>;
}

/** Float32 tensors by name, as written to / read from safetensors (structurally an encoder RawTensor). */
export interface F32Tensor {
  dtype: 'F32';
  shape: number[];
  data: Float32Array;
}

export function makeTrainerState(s: Omit<TrainerState, 'format' | 'version'>): TrainerState {
  return { format: TRAINER_STATE_FORMAT, version: 1, ...s };
}

/** Validates parsed `trainer_state.json` (names the bad field). */
export function parseTrainerState(json: unknown, where = 'trainer_state.json'): TrainerState {
  const o = json as Partial<TrainerState> | null;
  if (o == null || typeof o !== 'object') throw new CheckpointError(`${where}: expected an object, got ${typeof json}`);
  if (o.format !== TRAINER_STATE_FORMAT) {
    throw new CheckpointError(`${where}: format expected "${TRAINER_STATE_FORMAT}", got ${JSON.stringify(o.format)}`);
  }
  if (o.version !== 1) throw new CheckpointError(`${where}: version expected 1, got ${JSON.stringify(o.version)}`);
  for (const k of ['step', 'dataPosition'] as const) {
    const v = o[k];
    if (!Number.isInteger(v) || (v as number) < 0) {
      throw new CheckpointError(`${where}: ${k} expected a non-negative integer, got ${JSON.stringify(v)}`);
    }
  }
  const r = o.rngState;
  if (r !== null && !(Array.isArray(r) && r.length === 4 && r.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff))) {
    throw new CheckpointError(`${where}: rngState expected null or four uint32 words, got ${JSON.stringify(r)}`);
  }
  return o as TrainerState;
}

/** AdamW state → tensors (`exp_avg.<param>`, `exp_avg_sq.<param>`) + metadata (per-parameter step counts). */
export function optimizerToTensors(state: AdamWState): { tensors: Map<string, F32Tensor>; metadata: Record<string, string> } {
  const tensors = new Map<string, F32Tensor>();
  const steps: Record<string, number> = {};
  for (const [name, p] of Object.entries(state.params)) {
    tensors.set(`exp_avg.${name}`, { dtype: 'F32', shape: p.m.shape, data: p.m.data });
    tensors.set(`exp_avg_sq.${name}`, { dtype: 'F32', shape: p.v.shape, data: p.v.data });
    steps[name] = p.step;
  }
  return { tensors, metadata: { format: OPTIMIZER_FORMAT, steps: JSON.stringify(steps) } };
}

/** The inverse of `optimizerToTensors`; every parameter listed in the step metadata must have both moments. */
export function optimizerFromTensors(
  tensors: ReadonlyMap<string, { dtype: string; shape: number[]; data: unknown }>,
  metadata: Record<string, string>,
  where = 'optimizer.safetensors',
): AdamWState {
  if (metadata.format !== OPTIMIZER_FORMAT) {
    throw new CheckpointError(`${where}: metadata.format expected "${OPTIMIZER_FORMAT}", got ${JSON.stringify(metadata.format)}`);
  }
  let steps: Record<string, number>;
  try {
    steps = JSON.parse(metadata.steps ?? 'null') as Record<string, number>;
  } catch {
    throw new CheckpointError(`${where}: metadata.steps expected JSON, got ${JSON.stringify(metadata.steps)}`);
  }
  if (steps == null || typeof steps !== 'object') throw new CheckpointError(`${where}: metadata.steps missing`);
  const params: AdamWState['params'] = {};
  for (const [name, step] of Object.entries(steps)) {
    const get = (k: string) => {
      const t = tensors.get(`${k}.${name}`);
      if (!t) throw new CheckpointError(`${where}: tensor "${k}.${name}" expected, not found`);
      if (t.dtype !== 'F32' || !(t.data instanceof Float32Array)) {
        throw new CheckpointError(`${where}: "${k}.${name}" dtype expected F32, got ${t.dtype}`);
      }
      return { shape: t.shape.slice(), data: Float32Array.from(t.data) }; // a copy: t may view the file's bytes
    };
    params[name] = { step, m: get('exp_avg'), v: get('exp_avg_sq') };
  }
  return { params };
}
