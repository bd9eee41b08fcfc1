import { describe, expect, it } from 'vitest';
import { ConfigError, bertConfig, parseConfig, toConfigJson } from './config.js';
import { countParameters } from './parameter-count.js';
import { presets } from './presets.js';

// A config.json exactly as HF transformers 4.35 `save_pretrained` writes it for a sequence classifier.
const HF_JSON = {
  _name_or_path: 'some/model',
  architectures: ['BertForSequenceClassification'],
  attention_probs_dropout_prob: 0.1,
  classifier_dropout: null,
  gradient_checkpointing: false,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  hidden_size: 40,
  id2label: { '0': 'neg', '1': 'neu', '2': 'pos' },
  initializer_range: 0.02,
  intermediate_size: 37,
  label2id: { neg: 0, neu: 1, pos: 2 },
  layer_norm_eps: 1e-12,
  max_position_embeddings: 64,
  model_type: 'bert',
  num_attention_heads: 5,
  num_hidden_layers: 3,
  pad_token_id: 0,
  position_embedding_type: 'absolute',
  problem_type: 'single_label_classification',
  torch_dtype: 'float32',
  transformers_version: '4.35.0.dev0',
  type_vocab_size: 2,
  use_cache: true,
  vocab_size: 99,
};

describe('parseConfig / toConfigJson', () => {
  it('reads snake_case fields into camelCase', () => {
    const c = parseConfig(HF_JSON);
    expect(c.hiddenSize).toBe(40);
    expect(c.numAttentionHeads).toBe(5);
    expect(c.intermediateSize).toBe(37);
    expect(c.maxPositionEmbeddings).toBe(64);
    expect(c.numLabels).toBe(3);
    expect(c.id2label).toEqual({ '0': 'neg', '1': 'neu', '2': 'pos' });
    expect(c.architectures).toEqual(['BertForSequenceClassification']);
    expect(c.extra).toEqual({
      _name_or_path: 'some/model',
      gradient_checkpointing: false,
      model_type: 'bert',
      problem_type: 'single_label_classification',
      torch_dtype: 'float32',
      transformers_version: '4.35.0.dev0',
      use_cache: true,
    });
  });

  it('round-trips a full HF config.json without losing or changing a field', () => {
    expect(toConfigJson(parseConfig(HF_JSON))).toEqual(HF_JSON);
    const again = toConfigJson(parseConfig(JSON.parse(JSON.stringify(toConfigJson(parseConfig(HF_JSON))))));
    expect(again).toEqual(HF_JSON);
  });

  it('fills HF defaults for absent fields and keeps a bare num_labels', () => {
    const c = parseConfig({ hidden_size: 32, num_attention_heads: 4, num_labels: 5 });
    expect(c.vocabSize).toBe(30522);
    expect(c.numHiddenLayers).toBe(12);
    expect(c.intermediateSize).toBe(3072);
    expect(c.hiddenAct).toBe('gelu');
    expect(c.layerNormEps).toBe(1e-12);
    expect(c.numLabels).toBe(5);
    const json = toConfigJson(c);
    expect(json.num_labels).toBe(5);
    expect(json.model_type).toBe('bert');
    expect(json.hidden_size).toBe(32);
  });

  it('names the field, the expected and the actual value in errors', () => {
    expect(() => parseConfig({ ...HF_JSON, hidden_size: 42 })).toThrow(
      'BertConfig.hiddenSize: expected a multiple of numAttentionHeads (5), got 42',
    );
    expect(() => parseConfig({ ...HF_JSON, position_embedding_type: 'relative_key' })).toThrow(
      /positionEmbeddingType: expected "absolute".*got "relative_key"/,
    );
    expect(() => parseConfig({ ...HF_JSON, hidden_act: 'swish' })).toThrow(/hiddenAct: expected one of gelu, gelu_new/);
    expect(() => parseConfig({ ...HF_JSON, num_hidden_layers: 2.5 })).toThrow(
      'BertConfig.numHiddenLayers: expected a positive integer, got 2.5',
    );
    expect(() => parseConfig({ ...HF_JSON, hidden_dropout_prob: 1 })).toThrow(/hiddenDropoutProb: expected a probability/);
    expect(() => parseConfig({ ...HF_JSON, pad_token_id: 99 })).toThrow(/padTokenId: expected null or an integer in \[0, 99\), got 99/);
    expect(() => parseConfig({ ...HF_JSON, model_type: 'roberta' })).toThrow(/model_type: expected "bert", got "roberta"/);
    expect(() => parseConfig([1, 2])).toThrow(ConfigError);
    expect(() => parseConfig([1, 2], 'm/config.json')).toThrow(/^m\/config\.json: expected a JSON object, got \[1,2\]$/);
    expect(() => parseConfig({ ...HF_JSON, num_hidden_layers: 0 }, 'm/config.json')).toThrow(
      'm/config.json: "num_hidden_layers" → BertConfig.numHiddenLayers: expected a positive integer, got 0',
    );
    expect(() => parseConfig({ ...HF_JSON, label2id: { neg: 0, pos: 3 } })).toThrow(
      'BertConfig.label2id: expected an object of label name → class index in [0, 3), got {"pos":3}',
    );
    try {
      bertConfig({ hiddenSize: 40, numAttentionHeads: 3 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field).toBe('hiddenSize');
      expect((e as ConfigError).actual).toBe(40);
    }
  });
});

describe('presets and countParameters', () => {
  it('matches PyTorch for BERT-Base (with and without pooler)', () => {
    expect(countParameters(presets.base)).toBe(109_482_240);
    expect(countParameters(presets.base, { pooler: false })).toBe(109_482_240 - (768 * 768 + 768));
  });

  it('has the paper and compact sizes with I = 4H and vocab 30522', () => {
    const shape = (n: keyof typeof presets) => {
      const p = presets[n];
      return [p.numHiddenLayers, p.hiddenSize, p.numAttentionHeads, p.intermediateSize, p.vocabSize];
    };
    expect(shape('base')).toEqual([12, 768, 12, 3072, 30522]);
    expect(shape('large')).toEqual([24, 1024, 16, 4096, 30522]);
    expect(shape('tiny')).toEqual([2, 128, 2, 512, 30522]);
    expect(shape('mini')).toEqual([4, 256, 4, 1024, 30522]);
    expect(shape('small')).toEqual([4, 512, 8, 2048, 30522]);
    expect(shape('medium')).toEqual([8, 512, 8, 2048, 30522]);
    // BERT-Large: PyTorch's BertModel(BertConfig(L24 H1024 A16 I4096)) has 335,141,888 parameters.
    expect(countParameters(presets.large)).toBe(335_141_888);
  });

  it('counts an odd config term by term', () => {
    const c = bertConfig({ vocabSize: 99, hiddenSize: 40, numAttentionHeads: 5, numHiddenLayers: 3, intermediateSize: 37, maxPositionEmbeddings: 64 });
    const emb = (99 + 64 + 2) * 40 + 80;
    const layer = 4 * (40 * 40 + 40) + 80 + 40 * 37 + 37 + 37 * 40 + 40 + 80;
    expect(countParameters(c, { pooler: false })).toBe(emb + 3 * layer);
  });
});
