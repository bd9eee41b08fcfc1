// BERT's configuration: the fields of HuggingFace's `BertConfig` (transformers/models/bert/configuration_bert.py)
// in camelCase, read from / written to the snake_case `config.json` of a model directory. A config is a plain
// object validated once (`validateConfig`); layers trust it afterwards.

/** Activation of the intermediate (feed-forward) layer. `gelu` is the exact erf form (HF's `GELUActivation`). */
export type HiddenAct = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu';

export const HIDDEN_ACTS: readonly HiddenAct[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu'];

export interface BertConfig {
  /** Rows of the word-embedding table (30522 for the uncased English vocabulary). */
  vocabSize: number;
  /** Width H of every hidden state. */
  hiddenSize: number;
  /** Number of Transformer layers L. */
  numHiddenLayers: number;
  /** Attention heads A per layer; H must be a multiple of A (head size H / A). */
  numAttentionHeads: number;
  /** Width I of the feed-forward layer (4H in the paper). */
  intermediateSize: number;
  hiddenAct: HiddenAct;
  /** Dropout on embeddings and on every sub-layer output before its residual (training only). */
  hiddenDropoutProb: number;
  /** Dropout on the attention probabilities (training only). */
  attentionProbsDropoutProb: number;
  /** Rows of the learned position-embedding table: the longest sequence the model accepts. */
  maxPositionEmbeddings: number;
  /** Rows of the token-type (segment) table: 2 for sentence A / B. */
  typeVocabSize: number;
  /** Std of the truncated normal used to initialise weights (google-research/bert `create_initializer`). */
  initializerRange: number;
  layerNormEps: number;
  padTokenId: number | null;
  /** Only learned absolute positions (the paper's) are implemented. */
  positionEmbeddingType: 'absolute';
  /** Dropout of classification heads; null means `hiddenDropoutProb` (HF). */
  classifierDropout: number | null;
  /** HF model classes that this checkpoint was saved from (e.g. `BertForPreTraining`). */
  architectures?: string[];
  /** Label names of a classification head, keyed by class index as a string (as in config.json). */
  id2label?: Record<string, string>;
  label2id?: Record<string, number>;
  /** Number of labels of a classification head: the size of `id2label`, else `num_labels`, else 2 (HF). */
  numLabels: number;
  /** Every other config.json field, snake_case and untouched, so a read → write round trip loses nothing. */
  extra: Record<string, unknown>;
}

/**
 * A configuration field is missing, mistyped or inconsistent. The message names the field, the expected and the
 * actual value; when the config came from a file (`parseConfig(json, file)`), also the file and its snake_case key.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly actual: unknown,
    /** The config.json the value was read from, when known. */
    readonly file?: string,
    /** The config.json key of `field` (`hidden_size` for `hiddenSize`), when read from a file. */
    readonly key?: string,
  ) {
    // `(config.json)` / `(config)` stand for the whole object: with a file, the file is the subject.
    const subject = file !== undefined && field.startsWith('(') ? `${file}` : `BertConfig.${field}`;
    const where = file === undefined || subject === file ? '' : `${file}: ${key === undefined ? '' : `"${key}" → `}`;
    super(`${where}${subject}: expected ${expected}, got ${formatValue(actual)}`);
  }
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** HF `BertConfig()` defaults (BERT-Base, uncased vocabulary). */
export const DEFAULT_CONFIG: Readonly<BertConfig> = Object.freeze({
  vocabSize: 30522,
  hiddenSize: 768,
  numHiddenLayers: 12,
  numAttentionHeads: 12,
  intermediateSize: 3072,
  hiddenAct: 'gelu',
  hiddenDropoutProb: 0.1,
  attentionProbsDropoutProb: 0.1,
  maxPositionEmbeddings: 512,
  typeVocabSize: 2,
  initializerRange: 0.02,
  layerNormEps: 1e-12,
  padTokenId: 0,
  positionEmbeddingType: 'absolute',
  classifierDropout: null,
  numLabels: 2,
  extra: {},
} as BertConfig);

/** camelCase field ↔ config.json key, for the fields that map one to one. */
const KEYS: ReadonlyArray<[keyof BertConfig, string]> = [
  ['vocabSize', 'vocab_size'],
  ['hiddenSize', 'hidden_size'],
  ['numHiddenLayers', 'num_hidden_layers'],
  ['numAttentionHeads', 'num_attention_heads'],
  ['intermediateSize', 'intermediate_size'],
  ['hiddenAct', 'hidden_act'],
  ['hiddenDropoutProb', 'hidden_dropout_prob'],
  ['attentionProbsDropoutProb', 'attention_probs_dropout_prob'],
  ['maxPositionEmbeddings', 'max_position_embeddings'],
  ['typeVocabSize', 'type_vocab_size'],
  ['initializerRange', 'initializer_range'],
  ['layerNormEps', 'layer_norm_eps'],
  ['padTokenId', 'pad_token_id'],
  ['positionEmbeddingType', 'position_embedding_type'],
  ['classifierDropout', 'classifier_dropout'],
  ['architectures', 'architectures'],
  ['id2label', 'id2label'],
  ['label2id', 'label2id'],
];

const HANDLED = new Set<string>([...KEYS.map(([, k]) => k), 'num_labels']);
const JSON_KEY = new Map<string, string>([...KEYS, ['numLabels', 'num_labels']]);

/** Builds a validated config from overrides of HF's defaults, e.g. `bertConfig({ ...presets.tiny, vocabSize: 99 })`. */
export function bertConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  const c: BertConfig = { ...DEFAULT_CONFIG, extra: {}, ...overrides };
  if (overrides.id2label && overrides.numLabels === undefined) c.numLabels = Object.keys(overrides.id2label).length;
  return validateConfig(c);
}

/**
 * Reads a parsed `config.json` (snake_case, HF defaults for absent fields) and validates it. `file` (the path it
 * was read from) is named in every `ConfigError`, with the snake_case key of the offending field.
 */
export function parseConfig(json: unknown, file?: string): BertConfig {
  try {
    return parseConfigObject(json);
  } catch (e) {
    if (!(e instanceof ConfigError) || file === undefined) throw e;
    throw new ConfigError(e.field, e.expected, e.actual, file, JSON_KEY.get(e.field) ?? (e.field.startsWith('(') ? undefined : e.field));
  }
}

function parseConfigObject(json: unknown): BertConfig {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ConfigError('(config.json)', 'a JSON object', json);
  }
  const src = json as Record<string, unknown>;
  if (src.model_type !== undefined && src.model_type !== 'bert') {
    throw new ConfigError('model_type', '"bert"', src.model_type);
  }
  const c: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [field, key] of KEYS) if (key in src) c[field] = src[key];
  const id2label = src.id2label;
  if (id2label !== undefined && (id2label === null || typeof id2label !== 'object' || Array.isArray(id2label))) {
    throw new ConfigError('id2label', 'an object mapping class index to label', id2label);
  }
  c.numLabels = id2label ? Object.keys(id2label).length : src.num_labels !== undefined ? src.num_labels : 2;
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) if (!HANDLED.has(k)) extra[k] = v;
  c.extra = extra;
  return validateConfig(c as unknown as BertConfig);
}

/**
 * The `config.json` object for a config: every HF field in snake_case (plus `model_type: "bert"`), and the
 * unknown fields carried in `extra` as they were read.
 */
export function toConfigJson(config: BertConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config.extra };
  for (const [field, key] of KEYS) {
    const v = config[field];
    if (v !== undefined) out[key] = v;
  }
  // HF writes `num_labels` only through id2label; keep a non-default count when no label names exist.
  if (config.id2label === undefined && config.numLabels !== 2) out.num_labels = config.numLabels;
  if (out.model_type === undefined) out.model_type = 'bert';
  return sortKeys(out);
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

function positiveInt(c: BertConfig, field: keyof BertConfig): void {
  const v = c[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ConfigError(field, 'a positive integer', v);
}

function probability(c: BertConfig, field: keyof BertConfig): void {
  const v = c[field];
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new ConfigError(field, 'a probability in [0, 1)', v);
}

function positive(c: BertConfig, field: keyof BertConfig): void {
  const v = c[field];
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ConfigError(field, 'a positive number', v);
}

/** Checks every field once; returns the same object. Throws `ConfigError` naming the first bad field. */
export function validateConfig(c: BertConfig): BertConfig {
  if (c === null || typeof c !== 'object') throw new ConfigError('(config)', 'an object', c);
  for (const f of ['vocabSize', 'hiddenSize', 'numHiddenLayers', 'numAttentionHeads', 'intermediateSize'] as const) {
    positiveInt(c, f);
  }
  positiveInt(c, 'maxPositionEmbeddings');
  positiveInt(c, 'typeVocabSize');
  if (c.hiddenSize % c.numAttentionHeads !== 0) {
    throw new ConfigError(
      'hiddenSize',
      `a multiple of numAttentionHeads (${c.numAttentionHeads})`,
      c.hiddenSize,
    );
  }
  if (!HIDDEN_ACTS.includes(c.hiddenAct)) throw new ConfigError('hiddenAct', `one of ${HIDDEN_ACTS.join(', ')}`, c.hiddenAct);
  probability(c, 'hiddenDropoutProb');
  probability(c, 'attentionProbsDropoutProb');
  if (c.classifierDropout !== null) probability(c, 'classifierDropout');
  positive(c, 'initializerRange');
  positive(c, 'layerNormEps');
  if (c.padTokenId !== null && (!Number.isInteger(c.padTokenId) || c.padTokenId < 0 || c.padTokenId >= c.vocabSize)) {
    throw new ConfigError('padTokenId', `null or an integer in [0, ${c.vocabSize})`, c.padTokenId);
  }
  if (c.positionEmbeddingType !== 'absolute') {
    throw new ConfigError('positionEmbeddingType', '"absolute" (relative_key variants are not implemented)', c.positionEmbeddingType);
  }
  if (!Number.isInteger(c.numLabels) || c.numLabels < 1) throw new ConfigError('numLabels', 'a positive integer', c.numLabels);
  if (c.id2label !== undefined) {
    const bad = Object.entries(c.id2label ?? {}).find(([k, v]) => !/^\d+$/.test(k) || Number(k) >= c.numLabels || typeof v !== 'string');
    if (c.id2label === null || typeof c.id2label !== 'object' || bad) {
      throw new ConfigError('id2label', `an object of class index in [0, ${c.numLabels}) → label name`, bad ? Object.fromEntries([bad]) : c.id2label);
    }
  }
  if (c.label2id !== undefined) {
    const bad = Object.entries(c.label2id ?? {}).find(([, v]) => !Number.isInteger(v) || v < 0 || v >= c.numLabels);
    if (c.label2id === null || typeof c.label2id !== 'object' || bad) {
      throw new ConfigError('label2id', `an object of label name → class index in [0, ${c.numLabels})`, bad ? Object.fromEntries([bad]) : c.label2id);
    }
  }
  if (c.architectures !== undefined && (!Array.isArray(c.architectures) || c.architectures.some((a) => typeof a !== 'string'))) {
    throw new ConfigError('architectures', 'an array of class names', c.architectures);
  }
  if (c.extra === null || typeof c.extra !== 'object') throw new ConfigError('extra', 'an object', c.extra);
  return c;
}
