// Deepening a checkpoint by stacking its layers — progressive stacking (Gong et al. 2019, "Efficient Training of
// BERT by Progressively Stacking"): a model of n encoder layers whose layer i starts as the checkpoint's layer
// i mod L. Copying the trained L layers on top of themselves (n = 2L) carries over what they learned: the stacked
// model starts worse (the copies see the lower layers' output, not embeddings) but is back at the shallow model's
// loss within a few hundred steps, with twice the layers to go on with (docs/pretraining.md: what it bought the
// shipped model). n < L keeps the first n layers. Embeddings and heads are untouched.
import { CheckpointError, type RawTensor } from './checkpoint/index.js';
import { ConfigError, type BertConfig } from './config.js';

/** `bert.encoder.layer.3.output.dense.weight` → prefix `bert.encoder.layer.`, index 3, rest `output.dense.weight`. */
const LAYER_NAME = /^((?:.*\.)?encoder\.layer\.)(\d+)\.(.+)$/;

/**
 * A config of `numLayers` encoder layers and the checkpoint tensors for it: layer i's tensors copied (the same
 * arrays, not cloned) from layer i mod L, every other tensor as it is. A tensor of a layer ≥ L contradicts the
 * checkpoint's config (L layers) and is a CheckpointError.
 */
export function stackLayers(
  config: BertConfig,
  tensors: ReadonlyMap<string, RawTensor>,
  numLayers: number,
): { config: BertConfig; tensors: Map<string, RawTensor> } {
  if (!Number.isInteger(numLayers) || numLayers < 1) {
    throw new ConfigError('numLayers', 'an integer ≥ 1 (encoder layers of the stacked model)', numLayers);
  }
  const from = config.numHiddenLayers;
  const out = new Map<string, RawTensor>();
  const byLayer = new Map<number, [prefix: string, rest: string, tensor: RawTensor][]>();
  for (const [name, t] of tensors) {
    const m = LAYER_NAME.exec(name);
    if (!m) {
      out.set(name, t);
      continue;
    }
    const layer = Number(m[2]);
    if (layer >= from) {
      throw new CheckpointError(`${name}: expected encoder layers 0…${from - 1} (num_hidden_layers ${from}), got layer ${layer}`);
    }
    const list = byLayer.get(layer) ?? [];
    list.push([m[1]!, m[3]!, t]);
    byLayer.set(layer, list);
  }
  for (let i = 0; i < numLayers; i++) {
    for (const [prefix, rest, t] of byLayer.get(i % from) ?? []) out.set(`${prefix}${i}.${rest}`, t);
  }
  return { config: { ...config, numHiddenLayers: numLayers }, tensors: out };
}
