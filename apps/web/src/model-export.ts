// A model trained in the page → HF files (config.json with `architectures`, model.safetensors with `bert.*` and
// `cls.*` as `save_pretrained` writes them, vocab.txt), so that `bert` and PyTorch's from_pretrained load it.
// The browser twin of @bertkit/pretraining/node's savePretrainingModel, which writes to disk.
import { parseConfig, stateDict, toConfigJson, writeSafetensors } from '@bertkit/encoder';
import type { BertForPreTraining } from '@bertkit/pretraining';
import type { BertTokenizer } from '@bertkit/tokenizer';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelFiles } from './model-files';

export function vocabText(tok: BertTokenizer): string {
  return `${Array.from({ length: tok.vocabSize }, (_, i) => tok.idToToken(i) ?? '[UNK]').join('\n')}\n`;
}

export async function exportPretraining(model: BertForPreTraining, tokenizer: BertTokenizer, name: string): Promise<ModelFiles> {
  const json = toConfigJson(parseConfig(toConfigJson({ ...model.config, architectures: [model.architecture()] })));
  const tensors = await stateDict(model.bert, { prefix: 'bert.' });
  // model.headTensors() reads with dataSync(), which returned zeros on WebGPU under SwiftShader: read awaited.
  for (const p of model.headParams()) {
    const t = p.transposed ? tf.transpose(p.variable) : p.variable; // HF [out, in]
    tensors.set(p.name, { dtype: 'F32', shape: t.shape.slice(), data: ((await t.data()) as Float32Array).slice() });
    if (t !== p.variable) t.dispose();
  }
  return { name, configJson: `${JSON.stringify(json, null, 2)}\n`, vocabTxt: vocabText(tokenizer), safetensors: writeSafetensors(tensors, { format: 'pt' }) };
}
