// Loading a BERT from the files of an HF model directory, given as text and bytes (browser-safe): config.json, the
// checkpoint's tensors, and the tokenizer files. The one loader of bertkit: `loadBert` (node) reads a directory and
// calls it; the CLI and the server use that, the web demo calls it on fetched or dropped files. What it builds is
// what the checkpoint holds: an encoder, its tokenizer, the masked-LM head (`cls.predictions.*`) and the task head
// that config.json `architectures` names (or `kind` asks for).
import type { Rng } from '@bertkit/backend';
import { MlmHead, checkVocabSize, modelFromTensors, parseConfig, parseJsonFile, type BertConfig, type BertModel, type LoadReport, type LoadedModel, type RawTensor } from '@bertkit/encoder';
import { tokenizerFromFiles, type BertTokenizer, type TokenizerFiles } from '@bertkit/tokenizer';
import { HeadConfigError } from './errors';
import { ARCHITECTURES, BertTaskModel, headKindOf, usesPooler, withLabels, type HeadKind } from './task-model';
import type { MaskedLm } from '../fill-mask';

/** The files of one model directory. `source` names it in errors (a path, a URL, "dropped files"). */
export interface BertFiles extends Omit<TokenizerFiles, 'configJson'> {
  configJson: string;
  /** The checkpoint's tensors (any HF layout: model.safetensors, shards, pytorch_model.bin), as read. */
  tensors: Map<string, RawTensor>;
}

export interface LoadBertOptions {
  /** The task head to build; default the one config.json `architectures` names (none: encoder + MLM head). */
  kind?: HeadKind;
  /** Label names for a fresh task head (sets id2label / label2id / numLabels). */
  labels?: string[];
  problemType?: 'regression' | 'single_label_classification' | 'multi_label_classification';
  /** Draws weights the checkpoint lacks (a new task head, a missing pooler or MLM head). Without it they are errors. */
  rng?: Rng;
}

export interface LoadedBert {
  source: string;
  config: BertConfig;
  tokenizer: BertTokenizer;
  /** The encoder (owned by `task` when there is one). */
  bert: BertModel;
  /** The masked-LM head when the checkpoint has `cls.predictions.*` (BertForPreTraining / BertForMaskedLM). */
  mlm: MlmHead | null;
  /** The BertFor<Task> model when config.json names one (or `kind` asks for it); its encoder is `bert`. */
  task: BertTaskModel | null;
  /** The checkpoint's normalised tensors (heads not built here pick theirs). */
  tensors: Map<string, RawTensor>;
  report: LoadReport;
  dispose(): void;
}

/**
 * The BertFor<Task> model around a loaded encoder (which it then owns): the checkpoint's head, or a new one drawn
 * from `rng` (as HF's `from_pretrained` does for a BertModel checkpoint). Missing weights without `rng` are errors.
 */
export function taskModelOf(loaded: LoadedModel, kind: HeadKind, source: string, rng?: Rng): BertTaskModel {
  const { tensors, report } = loaded;
  if (report.missing.length > 0 && !rng) {
    throw new HeadConfigError(source, 'every encoder weight, or an rng to draw the missing ones', `missing ${report.missing.join(', ')}`);
  }
  const prefix = kind === 'question-answering' ? 'qa_outputs' : 'classifier';
  const hasHead = tensors.has(`${prefix}.weight`) && tensors.has(`${prefix}.bias`);
  if (!hasHead && !rng) {
    throw new HeadConfigError(`${source} ${prefix}.weight`, `a ${ARCHITECTURES[kind]} head in the checkpoint, or an rng to draw a new one`, 'none');
  }
  const task = new BertTaskModel(loaded.config, kind, { encoder: loaded.model, init: hasHead ? 'zeros' : 'truncated-normal', rng });
  if (hasHead) {
    try {
      task.head.load(tensors);
    } catch (e) {
      task.head.dispose();
      throw e;
    }
  }
  return task;
}

/** Builds the model a directory's files describe (see the file comment). */
export function loadBertFromFiles(files: BertFiles, options: LoadBertOptions = {}): LoadedBert {
  const { source } = files;
  const configFile = `${source}/config.json`;
  const base = parseConfig(parseJsonFile(files.configJson, configFile), configFile);
  const tokenizer = tokenizerFromFiles(files);
  const vocabFile = `${source}/${files.tokenizerJson !== undefined ? 'tokenizer.json' : 'vocab.txt'}`;
  checkVocabSize(base, tokenizer.vocabSize, { vocab: vocabFile, config: configFile });
  const kind = options.kind ?? headKindOf(base);
  const config = kind ? withLabels(base, options.labels, options.problemType) : base;
  const loaded = modelFromTensors(config, files.tensors, source, { addPooler: kind ? usesPooler(kind) : undefined, rng: options.rng });
  const { tensors, report } = loaded;
  let mlm: MlmHead | null = null;
  let task: BertTaskModel | null = null;
  try {
    if (tensors.has('cls.predictions.bias')) mlm = MlmHead.fromTensors(config, tensors);
    if (kind) task = taskModelOf(loaded, kind, source, options.rng);
  } catch (e) {
    mlm?.dispose();
    if (task) task.dispose();
    else loaded.model.dispose();
    throw e;
  }
  return {
    source,
    config: task ? task.config : config,
    tokenizer,
    bert: loaded.model,
    mlm,
    task,
    tensors,
    report,
    dispose() {
      mlm?.dispose();
      if (task) task.dispose();
      else loaded.model.dispose();
    },
  };
}

/** The encoder + MLM head of a loaded model, for `fillMask` (an error naming the checkpoint when it has none). */
export function maskedLmOf(m: LoadedBert): MaskedLm {
  if (!m.mlm) throw new HeadConfigError(`${m.source} cls.predictions.*`, 'a masked-LM head (BertForPreTraining / BertForMaskedLM)', 'none');
  return { bert: m.bert, mlm: m.mlm };
}
