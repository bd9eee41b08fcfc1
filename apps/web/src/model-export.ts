// A model trained in the page → the files of an HF directory (config.json with `architectures`, model.safetensors
// with `bert.*` and the head's tensors as `save_pretrained` writes them, and the tokenizer files of the model it
// was trained from, copied verbatim), so that `bert`, the page and PyTorch's from_pretrained load it. The browser
// twins of @bertkit/pretraining/node's savePretrainingModel and @bertkit/heads/node's saveTaskModel, which write
// to disk; both read the head tensors with the packages' awaited reads.
import { parseConfig, stateDict, toConfigJson, writeSafetensors, type BertConfig, type BertModel, type RawTensor } from '@bertkit/encoder';
import { ARCHITECTURES, type BertTaskModel } from '@bertkit/heads';
import type { BertForPreTraining } from '@bertkit/pretraining';
import { tokenizerFilesOf, type ModelBytes, type TokenizerFileSet } from './model-files';

async function exportModel(bert: BertModel, config: BertConfig, heads: Map<string, RawTensor>, tokenizer: TokenizerFileSet, source: string): Promise<ModelBytes> {
  const json = toConfigJson(parseConfig(toConfigJson(config))); // validates what is written
  const tensors = await stateDict(bert, { prefix: 'bert.' });
  for (const [k, v] of heads) tensors.set(k, v);
  return { source, configJson: `${JSON.stringify(json, null, 2)}\n`, safetensors: writeSafetensors(tensors, { format: 'pt' }), ...tokenizerFilesOf(tokenizer) };
}

/** BertForPreTraining → HF files (architectures BertForPreTraining / BertForMaskedLM, `cls.*` heads). */
export async function exportPretraining(model: BertForPreTraining, tokenizer: TokenizerFileSet, source: string): Promise<ModelBytes> {
  return exportModel(model.bert, { ...model.config, architectures: [model.architecture()] }, await model.headTensors(), tokenizer, source);
}

/** BertFor<Task> → HF files (architectures, id2label / label2id, the head's `classifier.*` or `qa_outputs.*`). */
export async function exportTaskModel(model: BertTaskModel, tokenizer: TokenizerFileSet, source: string): Promise<ModelBytes> {
  return exportModel(model.encoder, { ...model.config, architectures: [ARCHITECTURES[model.kind]] }, await model.head.stateDict(), tokenizer, source);
}
