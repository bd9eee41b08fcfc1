// Moving weights between a BertModel and a checkpoint's name → tensor map, with HF's naming conventions and a
// loading report like `from_pretrained(..., output_loading_info=True)` (missing / unexpected / mismatched keys).
//
// Name normalisation (HF `PreTrainedModel._load_pretrained_model` and `_fix_key`):
// - the `bert.` prefix of head models (`BertForPreTraining`, ...) is optional: `bert.encoder.layer.0...` and
//   `encoder.layer.0...` are the same weight;
// - legacy TF-converted names `LayerNorm.gamma` / `LayerNorm.beta` mean `LayerNorm.weight` / `LayerNorm.bias`;
// - `embeddings.position_ids` is a buffer (0..P-1), not a weight: ignored;
// - keys outside the encoder (`cls.*`, `classifier.*`, `qa_outputs.*`, ...) belong to the heads: they are kept
//   in the normalised map and reported as unused by BertModel, not as errors.
// nn.Linear weights are [out, in] in checkpoints and [in, out] in the model: transposed here, once.
import * as tf from '@tensorflow/tfjs-core';
import type { BertModel } from './bert-model.js';
import { toFloat32, type RawTensor } from './checkpoint/index.js';

export interface MismatchedWeight {
  name: string;
  /** The HF-layout shape the model needs. */
  expected: number[];
  actual: number[];
}

export interface LoadReport {
  /** Model parameters the checkpoint lacks (they keep their initial values). */
  missing: string[];
  /** Encoder-namespace keys (`embeddings.*`, `encoder.*`, `pooler.*`) that match no parameter. */
  unexpected: string[];
  /** Right name, wrong shape (not loaded). */
  mismatched: MismatchedWeight[];
  /** Keys for the heads (`cls.*`, `classifier.*`, ...) or a pooler the model does not have: not errors. */
  unusedByModel: string[];
  /** Buffers that are not weights (`embeddings.position_ids`). */
  ignored: string[];
}

/** Loading failed in a way the caller asked to be strict about. */
export class WeightsError extends Error {
  override readonly name = 'WeightsError';
  constructor(
    message: string,
    readonly report: LoadReport,
  ) {
    super(message);
  }
}

const ENCODER_ROOTS = ['embeddings.', 'encoder.', 'pooler.'];
const BUFFERS = new Set(['embeddings.position_ids']);

/** HF's legacy-name fix (`_fix_key`) on the last name component, plus the optional `bert.` prefix removed. */
export function normalizeWeightName(name: string): string {
  let n = name.startsWith('bert.') ? name.slice('bert.'.length) : name;
  if (n.endsWith('.gamma')) n = `${n.slice(0, -'.gamma'.length)}.weight`;
  else if (n.endsWith('.beta')) n = `${n.slice(0, -'.beta'.length)}.bias`;
  return n;
}

/** Is this normalised name one of BertModel's (embeddings / encoder / pooler)? */
export function isEncoderWeight(normalizedName: string): boolean {
  return ENCODER_ROOTS.some((r) => normalizedName.startsWith(r));
}

export interface NormalizedWeights {
  /** Encoder weights without `bert.`, head weights as named (gamma/beta fixed); buffers dropped. */
  tensors: Map<string, RawTensor>;
  /** Original names of the dropped buffers. */
  ignored: string[];
}

/** Applies the normalisation to a whole checkpoint map. Throws when two keys normalise to one name. */
export function normalizeWeights(tensors: Map<string, RawTensor>): NormalizedWeights {
  const out = new Map<string, RawTensor>();
  const from = new Map<string, string>();
  const ignored: string[] = [];
  for (const [name, t] of tensors) {
    const n = normalizeWeightName(name);
    if (BUFFERS.has(n)) {
      ignored.push(name);
      continue;
    }
    const prev = from.get(n);
    if (prev !== undefined) {
      throw new WeightsError(`checkpoint keys ${JSON.stringify(prev)} and ${JSON.stringify(name)} both name ${n}`, {
        missing: [],
        unexpected: [],
        mismatched: [],
        unusedByModel: [],
        ignored,
      });
    }
    from.set(n, name);
    out.set(n, t);
  }
  return { tensors: out, ignored };
}

function hfShape(variable: tf.Variable, transposed: boolean): number[] {
  return transposed ? [...variable.shape].reverse() : [...variable.shape];
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Copies every matching weight into the model (names normalised as above) and reports what did not match.
 * Never throws for missing / unexpected / mismatched names: inspect the report (or use `assertCleanLoad`).
 */
export function loadState(model: BertModel, tensors: Map<string, RawTensor>): LoadReport {
  const { tensors: weights, ignored } = normalizeWeights(tensors);
  const report: LoadReport = { missing: [], unexpected: [], mismatched: [], unusedByModel: [], ignored };
  const used = new Set<string>();
  for (const { name, variable, transposed } of model.namedParameters()) {
    const t = weights.get(name);
    if (t === undefined) {
      report.missing.push(name);
      continue;
    }
    used.add(name);
    const expected = hfShape(variable, transposed);
    if (!sameShape(expected, t.shape)) {
      report.mismatched.push({ name, expected, actual: [...t.shape] });
      continue;
    }
    const values = toFloat32(t);
    tf.tidy(() => {
      const src = tf.tensor(values, t.shape, 'float32'); // HF layout
      variable.assign(transposed ? tf.transpose(src) : src); // [in, out] for dense kernels
    });
  }
  for (const name of weights.keys()) {
    if (used.has(name)) continue;
    const isPooler = name.startsWith('pooler.');
    if (isEncoderWeight(name) && !(isPooler && model.pooler === null)) report.unexpected.push(name);
    else report.unusedByModel.push(name);
  }
  return report;
}

/** Throws a WeightsError listing the problems when the report has missing, unexpected or mismatched weights. */
export function assertCleanLoad(report: LoadReport, what = 'checkpoint'): void {
  const problems: string[] = [];
  if (report.missing.length) problems.push(`missing: ${report.missing.join(', ')}`);
  if (report.unexpected.length) problems.push(`unexpected: ${report.unexpected.join(', ')}`);
  for (const m of report.mismatched) {
    problems.push(`mismatched ${m.name}: expected [${m.expected.join(', ')}], got [${m.actual.join(', ')}]`);
  }
  if (problems.length) throw new WeightsError(`${what} does not fit the model: ${problems.join('; ')}`, report);
}

export interface StateDictOptions {
  /** Prepended to every name: `bert.` for a head model's checkpoint (what `saveModel` writes). Default ''. */
  prefix?: string;
}

/**
 * The model's weights in HF layout ([out, in] dense weights) and HF names, as F32 raw tensors. Asynchronous
 * because WebGPU in Node cannot read tensors back synchronously.
 */
export async function stateDict(model: BertModel, options: StateDictOptions = {}): Promise<Map<string, RawTensor>> {
  const prefix = options.prefix ?? '';
  const out = new Map<string, RawTensor>();
  for (const { name, variable, transposed } of model.namedParameters()) {
    const hf = transposed ? tf.transpose(variable) : null; // [out, in]
    const data = ((await (hf ?? variable).data()) as Float32Array).slice(); // a copy the caller owns
    hf?.dispose();
    out.set(`${prefix}${name}`, { dtype: 'F32', shape: hfShape(variable, transposed), data });
  }
  return out;
}
