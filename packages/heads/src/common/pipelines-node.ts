// Node only: load what the fill-mask and embeddings APIs need from a HF model directory (config.json,
// model.safetensors, vocab.txt / tokenizer.json).
import { loadModel, type LoadedModel } from '@bertkit/encoder/node';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { loadTokenizer } from '@bertkit/tokenizer/node';
import { MaskedLmHead } from '../fill-mask';

export interface FillMaskPipeline {
  loaded: LoadedModel;
  head: MaskedLmHead;
  tokenizer: BertTokenizer;
  dispose(): void;
}

/** A BertForPreTraining / BertForMaskedLM directory → model + masked-LM head + tokenizer. */
export async function loadFillMask(dir: string, tokenizerDir = dir): Promise<FillMaskPipeline> {
  const loaded = await loadModel(dir);
  try {
    const head = new MaskedLmHead(loaded.model, loaded.tensors);
    const tokenizer = await loadTokenizer(tokenizerDir);
    return { loaded, head, tokenizer, dispose: () => { head.dispose(); loaded.model.dispose(); } };
  } catch (e) {
    loaded.model.dispose();
    throw e;
  }
}

/** Any BERT directory → encoder + tokenizer for `embedTexts`. */
export async function loadEmbedder(dir: string, tokenizerDir = dir): Promise<{ loaded: LoadedModel; tokenizer: BertTokenizer }> {
  const loaded = await loadModel(dir);
  return { loaded, tokenizer: await loadTokenizer(tokenizerDir) };
}
