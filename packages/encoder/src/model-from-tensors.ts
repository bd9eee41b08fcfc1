// A checkpoint's tensors → a BertModel (browser-safe): what `loadModel` (node) does after reading the files, and
// what the web demo does with fetched or dropped files. Any BertFor* / BertModel checkpoint: encoder weights are
// copied (names normalised: `bert.` prefix, LayerNorm gamma/beta), heads' tensors are returned for the heads.
import type { Rng } from '@bertkit/backend';
import { BertModel } from './bert-model.js';
import { CheckpointError, type RawTensor } from './checkpoint/index.js';
import type { BertConfig } from './config.js';
import { stackLayers } from './stack-layers.js';
import { WeightsError, assertCleanLoad, loadState, normalizeWeights, type LoadReport } from './weights.js';

export interface LoadModelOptions {
  /** Build the pooler. Default: when the checkpoint holds `pooler.*` weights (BertForMaskedLM's does not). */
  addPooler?: boolean;
  /** Throw a WeightsError on missing or unexpected encoder weights (mismatched shapes always throw). */
  strict?: boolean;
  /** Initialise with the paper's truncated normal first, so that missing weights are random (as HF) not 0. */
  rng?: Rng;
  /**
   * Build this many encoder layers, layer i from the checkpoint's layer i mod L (progressive stacking,
   * `stackLayers`). Default: the checkpoint's own `num_hidden_layers`.
   */
  numLayers?: number;
}

export interface LoadedModel {
  config: BertConfig;
  model: BertModel;
  report: LoadReport;
  /** The whole checkpoint, normalised (encoder names without `bert.`, gamma/beta fixed): heads pick theirs. */
  tensors: Map<string, RawTensor>;
}

/** Builds a BertModel from a checkpoint's raw tensors; `source` names the checkpoint in errors. */
export function modelFromTensors(config: BertConfig, raw: Map<string, RawTensor>, source: string, options: LoadModelOptions = {}): LoadedModel {
  let tensors: Map<string, RawTensor>;
  try {
    if (options.numLayers !== undefined) ({ config, tensors: raw } = stackLayers(config, raw, options.numLayers));
    tensors = normalizeWeights(raw).tensors;
  } catch (e) {
    if (e instanceof WeightsError) throw new WeightsError(`${source}: ${e.message}`, e.report);
    if (e instanceof CheckpointError) throw new CheckpointError(`${source}: ${e.message}`);
    throw e;
  }
  const addPooler = options.addPooler ?? [...tensors.keys()].some((k) => k.startsWith('pooler.'));
  const model = options.rng
    ? new BertModel(config, { addPooler, rng: options.rng })
    : new BertModel(config, { addPooler, init: 'zeros' });
  try {
    const report = loadState(model, raw);
    if (options.strict) assertCleanLoad(report, source);
    else assertCleanLoad({ ...report, missing: [], unexpected: [] }, source);
    return { config, model, report, tensors };
  } catch (e) {
    model.dispose();
    if (e instanceof CheckpointError) throw new CheckpointError(`${source}: ${e.message}`);
    throw e;
  }
}
