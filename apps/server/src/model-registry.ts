// Loads the served models: encoder, tokenizer and whatever head the checkpoint holds. The task comes from the
// checkpoint, as HF pipelines choose it: `architectures` names a BertFor<Task> head (@bertkit/heads
// `headKindOf`), and `cls.predictions.*` weights (BertForPreTraining / BertForMaskedLM) enable fill-mask.
// Every model serves tokenize and embeddings (its encoder).
import type { BertConfig, BertModel } from '@bertkit/encoder';
import { loadModel } from '@bertkit/encoder/node';
import { MaskedLmHead, headKindOf, type BertTaskModel, type HeadKind } from '@bertkit/heads';
import { loadTaskModel } from '@bertkit/heads/node';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { loadTokenizer } from '@bertkit/tokenizer/node';
import { ServerConfigError } from './errors.js';
import type { ModelSpec } from './options.js';
import { readSentenceTransformersConfig, type SentenceTransformersConfig } from './sentence-transformers.js';

export type Operation = 'tokenize' | 'embeddings' | 'fill-mask' | 'classify' | 'qa' | 'ner' | 'multiple-choice';

const OPERATION_OF: Record<HeadKind, Operation> = {
  'sequence-classification': 'classify',
  'token-classification': 'ner',
  'question-answering': 'qa',
  'multiple-choice': 'multiple-choice',
};

export interface ServedModel {
  name: string;
  dir: string;
  /** Where its tokenizer files are, when not in `dir`. */
  tokenizerDir?: string;
  config: BertConfig;
  tokenizer: BertTokenizer;
  encoder: BertModel;
  /** The BertFor<Task> model when the checkpoint has a task head (its encoder is `encoder`). */
  task: BertTaskModel | null;
  mlmHead: MaskedLmHead | null;
  operations: Operation[];
  /** Longest sequence in tokens (max_position_embeddings unless the server lowers it). */
  maxTokens: number;
  /** Pooling and prompts of a sentence-transformers folder (the TEI routes use them). */
  sentenceTransformers: SentenceTransformersConfig;
  dispose(): void;
}

export async function loadServedModel(spec: ModelSpec, maxTokens?: number): Promise<ServedModel> {
  const sentenceTransformers = readSentenceTransformersConfig(spec.dir);
  const tokenizer = await loadTokenizer(spec.tokenizerDir ?? spec.dir);
  const { config, model, tensors } = await loadModel(spec.dir);
  const kind = headKindOf(config);
  let task: BertTaskModel | null = null;
  let mlmHead: MaskedLmHead | null = null;
  let encoder = model;
  try {
    if (kind !== null) {
      model.dispose(); // loadTaskModel builds the encoder with the pooler its head needs
      task = await loadTaskModel(spec.dir, { kind });
      encoder = task.encoder;
    } else if (tensors.has('cls.predictions.bias')) {
      mlmHead = new MaskedLmHead(model, tensors);
    }
  } catch (e) {
    encoder.dispose();
    throw e;
  }
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new ServerConfigError(`models.${spec.name} tokenizer`, `at most vocab_size (${config.vocabSize}) tokens`, String(tokenizer.vocabSize));
  }
  const operations: Operation[] = ['tokenize', 'embeddings'];
  if (mlmHead) operations.push('fill-mask');
  if (kind) operations.push(OPERATION_OF[kind]);
  return {
    name: spec.name,
    dir: spec.dir,
    tokenizerDir: spec.tokenizerDir,
    config: task ? task.config : config,
    tokenizer,
    encoder,
    task,
    mlmHead,
    operations,
    maxTokens: Math.min(maxTokens ?? config.maxPositionEmbeddings, config.maxPositionEmbeddings),
    sentenceTransformers,
    dispose: () => {
      mlmHead?.dispose();
      if (task) task.dispose();
      else encoder.dispose();
    },
  };
}
