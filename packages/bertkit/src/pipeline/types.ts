// Tasks, inputs, options and outputs of `pipeline()`, named as HF transformers' Python pipelines name them
// (`top_k`, `aggregation_strategy`, `score`, `token_str`, `entity_group`, …), so that code and docs carry over.
import type { BackendChoice, BackendName } from '@bertkit/backend';
import type { TokenAggregation, ClassFunction, EntityGroup, FillMaskCandidate, LabelScore, LoadedBert, PipelineAnswer, TokenEntity } from '@bertkit/heads';

export interface FillMaskOptions {
  /** Candidates per [MASK] (default 5). */
  top_k?: number;
  /** Rank only these tokens (a vocabulary entry, else the first token the string encodes to). */
  targets?: string | string[];
}
/** One [MASK]: its candidates; several [MASK]s: one list per mask, in text order (as HF). */
export type FillMaskOutput = FillMaskCandidate[] | FillMaskCandidate[][];

export interface FeatureExtractionOptions {
  /** `none` (default, HF): one vector per token, [1][T][H]; `mean` / `cls` / `pooled`: one vector, [1][H]. */
  pooling?: 'none' | 'mean' | 'cls' | 'pooled';
  /** Divide each vector by its L2 norm (default false). */
  normalize?: boolean;
}
export type FeatureExtractionOutput = number[][][] | number[][];

export type TextClassificationInput = TextInput;
export interface TextClassificationOptions {
  /** Unset: the best label (`[{label, score}]` for a string, as HF); a number: the k best; null: every label, best first. */
  top_k?: number | null;
  /** Default as HF: sigmoid for multi-label or single-output models, softmax otherwise. */
  function_to_apply?: ClassFunction;
}
export type TextClassificationOutput = LabelScore | LabelScore[];

export interface TokenClassificationOptions {
  /** `none` (default): one entity per token; `simple` / `first` / `average` / `max`: grouped (HF semantics). */
  aggregation_strategy?: TokenAggregation;
  /** Labels left out (default `['O']`). */
  ignore_labels?: string[];
}
export type TokenClassificationOutput = TokenEntity[] | EntityGroup[];

export interface QuestionAnsweringInput {
  question: string;
  context: string;
}
export interface QuestionAnsweringOptions {
  /** Answers to return (default 1: one object; more: a list, best first). */
  top_k?: number;
  /** Tokens shared by consecutive windows of a long context (default min(max_seq_len / 2, 128)). */
  doc_stride?: number;
  /** Longest answer in tokens (default 15). */
  max_answer_len?: number;
  /** Tokens per window, question included (default 384). */
  max_seq_len?: number;
  /** Question tokens kept (default 64). */
  max_question_len?: number;
  /** SQuAD v2.0: answer "" when the [CLS] null score beats every span (default false). */
  handle_impossible_answer?: boolean;
  /** Widen answers to whole words (default true). */
  align_to_words?: boolean;
}
export type QuestionAnsweringOutput = PipelineAnswer | PipelineAnswer[];

export interface MultipleChoiceInput {
  /** One context for every choice, or one per choice (SWAG's). */
  context: string | string[];
  choices: string[];
}
export type MultipleChoiceOptions = Record<never, never>;
/** The index of the most likely choice and the softmax over the choices. */
export interface MultipleChoiceOutput {
  choice: number;
  scores: number[];
}

/** A text, or a sentence pair (HF `{text, text_pair}`; fill-mask, feature extraction and tagging: a bertkit extra). */
export type TextInput = string | { text: string; text_pair?: string };

interface TaskSpec<I, C, O> {
  input: I;
  options: C;
  output: O;
}

/** Every task `pipeline()` builds, by HF name (aliases: `ner`, `sentiment-analysis`). */
export interface Tasks {
  'fill-mask': TaskSpec<TextInput, FillMaskOptions, FillMaskOutput>;
  'feature-extraction': TaskSpec<TextInput, FeatureExtractionOptions, FeatureExtractionOutput>;
  'text-classification': TaskSpec<TextClassificationInput, TextClassificationOptions, TextClassificationOutput>;
  'sentiment-analysis': Tasks['text-classification'];
  /** With a pair, the entities of `text` (`text_pair` is context only, e.g. the rest of the document, paper §5.3). */
  'token-classification': TaskSpec<TextInput, TokenClassificationOptions, TokenClassificationOutput>;
  ner: Tasks['token-classification'];
  'question-answering': TaskSpec<QuestionAnsweringInput, QuestionAnsweringOptions, QuestionAnsweringOutput>;
  'multiple-choice': TaskSpec<MultipleChoiceInput, MultipleChoiceOptions, MultipleChoiceOutput>;
}
export type Task = keyof Tasks;

export const TASKS: readonly Task[] = [
  'fill-mask',
  'feature-extraction',
  'text-classification',
  'sentiment-analysis',
  'token-classification',
  'ner',
  'question-answering',
  'multiple-choice',
];

/** Options every task takes at creation, besides defaults for its call options. */
export interface CommonOptions {
  /** The tfjs backend: initialised with @bertkit/backend's initBackend (default its preference); `current` keeps tfjs's. */
  backend?: BackendName | 'current';
  /** Tokens per input (longer inputs are truncated); default the tokenizer's model_max_length, else the model's positions. */
  max_length?: number;
}

/** What computes the forward passes: tfjs (default), or ONNX Runtime (Node only: `pipeline` of 'bertkit/node'). */
export type EngineName = 'tfjs' | 'ort';

export type PipelineOptions<T extends Task> = CommonOptions & Tasks[T]['options'];

/** What `pipeline()` resolves to: call it on one input or a list of inputs (one output each). */
export interface Pipeline<T extends Task> {
  (input: Tasks[T]['input'], options?: Tasks[T]['options']): Promise<Tasks[T]['output']>;
  (inputs: Tasks[T]['input'][], options?: Tasks[T]['options']): Promise<Tasks[T]['output'][]>;
  readonly task: T;
  /** The loaded model (encoder, heads, tokenizer, config). */
  readonly model: LoadedBert;
  /** The backend initialised for it (null with `backend: 'current'`). */
  readonly backend: BackendChoice | null;
  /** What computes its forward passes. */
  readonly engine: EngineName;
  /** Frees the model's tensors when the pipeline loaded it (a model passed in stays the caller's). */
  dispose(): void;
}
