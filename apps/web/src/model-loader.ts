// ModelFiles → a BERT encoder on the current backend, its tokenizer, and whatever heads the checkpoint has
// (the masked-LM head for fill-mask; a task head for classification / NER / QA). The browser twin of
// @bertkit/encoder/node's loadModel and @bertkit/heads/node's loadTaskModel, which read from disk.
import { BertModel, assertCleanLoad, loadState, normalizeWeights, parseConfig, readSafetensors, type BertConfig, type RawTensor } from '@bertkit/encoder';
import { BertTaskModel, MaskedLmHead, headKindOf, usesPooler } from '@bertkit/heads';
import { BertTokenizer } from '@bertkit/tokenizer';
import type { ModelFiles } from './model-files';

export interface LoadedBert {
  files: ModelFiles;
  config: BertConfig;
  bert: BertModel;
  tokenizer: BertTokenizer;
  tensors: Map<string, RawTensor>;
  /** Null when the checkpoint has no `cls.predictions.*` (e.g. a plain BertModel). */
  mlm: MaskedLmHead | null;
  /** The fine-tuned head named by config.json `architectures`, when its weights are present. */
  task: BertTaskModel | null;
  /** Whether the weights came from training (the bundled and trained models say so; random init does not). */
  label: string;
  dispose(): void;
}

export function tokenizerOf(files: ModelFiles): BertTokenizer {
  if (files.vocabTxt !== undefined) {
    let lower = true;
    if (files.tokenizerConfigJson) lower = (JSON.parse(files.tokenizerConfigJson) as { do_lower_case?: boolean }).do_lower_case ?? true;
    return BertTokenizer.fromVocab(files.vocabTxt, { lowercase: lower });
  }
  return BertTokenizer.fromJSON(files.tokenizerJson!, files.tokenizerConfigJson);
}

export function buildModel(files: ModelFiles, label: string): LoadedBert {
  const config = parseConfig(JSON.parse(files.configJson));
  const tokenizer = tokenizerOf(files);
  const raw = readSafetensors(files.safetensors).tensors;
  const { tensors } = normalizeWeights(raw);
  const kind = headKindOf(config);
  const hasPooler = [...tensors.keys()].some((k) => k.startsWith('pooler.'));
  const bert = new BertModel(config, { addPooler: hasPooler || (kind !== null && usesPooler(kind)), init: 'zeros' });
  let mlm: MaskedLmHead | null = null;
  let task: BertTaskModel | null = null;
  try {
    const report = loadState(bert, raw);
    assertCleanLoad({ ...report, unexpected: [], missing: report.missing.filter((m) => !m.startsWith('pooler.')) }, files.name);
    if (tensors.has('cls.predictions.bias')) mlm = new MaskedLmHead(bert, tensors);
    if (kind !== null) {
      const prefix = kind === 'question-answering' ? 'qa_outputs' : 'classifier';
      if (tensors.has(`${prefix}.weight`)) {
        task = new BertTaskModel(config, kind, { encoder: bert, init: 'zeros' });
        task.head.load(tensors);
      }
    }
  } catch (e) {
    mlm?.dispose();
    bert.dispose();
    throw e;
  }
  return {
    files,
    config,
    bert,
    tokenizer,
    tensors,
    mlm,
    task,
    label,
    dispose() {
      mlm?.dispose();
      task?.head.dispose();
      bert.dispose();
    },
  };
}
