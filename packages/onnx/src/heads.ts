// Task heads on top of the encoder graph, as HF's BertFor* classes compute them in eval mode (dropout is the
// identity), with the output names transformers.js and optimum use.
import type { BertConfig } from '@bertkit/encoder';
import { activation, layerNorm, linear, type EncoderValues } from './encoder-graph.js';
import { OnnxExportError } from './errors.js';
import type { GraphBuilder } from './graph-builder.js';
import type { Dim } from './onnx-proto.js';
import type { Weights } from './weights.js';

/** `base` = BertModel; the others are BertForMaskedLM, BertForPreTraining, ...; names as in the fixtures. */
export type HeadKind = 'base' | 'mlm' | 'pretraining' | 'seqcls' | 'tokcls' | 'qa' | 'mc';

export const HEAD_KINDS: readonly HeadKind[] = ['base', 'mlm', 'pretraining', 'seqcls', 'tokcls', 'qa', 'mc'];

const ARCHITECTURES: Record<string, HeadKind> = {
  BertModel: 'base',
  BertForMaskedLM: 'mlm',
  BertForPreTraining: 'pretraining',
  BertForSequenceClassification: 'seqcls',
  BertForTokenClassification: 'tokcls',
  BertForQuestionAnswering: 'qa',
  BertForMultipleChoice: 'mc',
};

/** The head config.json's `architectures` names (its first entry; BertModel when absent). */
export function headOf(config: BertConfig): HeadKind {
  const arch = config.architectures?.[0] ?? 'BertModel';
  const kind = ARCHITECTURES[arch];
  if (kind === undefined) throw new OnnxExportError('architectures[0]', `one of ${Object.keys(ARCHITECTURES).join(', ')}`, JSON.stringify(arch));
  return kind;
}

export interface GraphOutput {
  name: string;
  value: string;
  dims: Dim[];
}

const B = 'batch_size';
const T = 'sequence_length';

/** BertLMPredictionHead: transform (dense, act, LayerNorm) then the decoder tied to the word embeddings. */
function mlmLogits(g: GraphBuilder, c: BertConfig, w: Weights, sequence: string): string {
  const h = c.hiddenSize;
  const p = 'cls.predictions';
  const dense = linear(g, w, sequence, `${p}.transform.dense`, h, h);
  const t = layerNorm(g, w, activation(g, dense, c.hiddenAct), `${p}.transform.LayerNorm`, h, c.layerNormEps); // [B, T, H]
  // An untied decoder (`cls.predictions.decoder.weight`) when the checkpoint has one, else the word embeddings
  // (already an initializer) transposed by a node that ORT folds at load: the file holds the table once.
  const decoder = w.has(`${p}.decoder.weight`)
    ? (() => {
        const k = w.linear(`${p}.decoder.weight`, c.vocabSize, h);
        return g.float(`${p}.decoder.weight`, k.data, k.shape);
      })()
    : g.op('Transpose', ['embeddings.word_embeddings.weight'], { perm: { ints: [1, 0] } }); // [H, V]
  const biasName = w.has(`${p}.bias`) ? `${p}.bias` : `${p}.decoder.bias`;
  const bias = g.float(biasName, w.get(biasName, [c.vocabSize]).data, [c.vocabSize]);
  return g.op('Add', [g.op('MatMul', [t, decoder]), bias]); // [B, T, V]
}

/**
 * The encoder's outputs under BertModel's names. Multiple choice runs the encoder on the flattened [B·C, T]
 * rows, so its rows are `batch_choices` there.
 */
export function encoderOutputs(c: BertConfig, enc: EncoderValues, flattened: boolean): GraphOutput[] {
  const rows = flattened ? 'batch_choices' : B;
  const out: GraphOutput[] = [{ name: 'last_hidden_state', value: enc.sequence, dims: [rows, T, c.hiddenSize] }];
  if (enc.pooled !== null) out.push({ name: 'pooler_output', value: enc.pooled, dims: [rows, c.hiddenSize] });
  return out;
}

/** Adds the head's nodes; returns the graph outputs in order. */
export function buildHead(g: GraphBuilder, c: BertConfig, w: Weights, head: HeadKind, enc: EncoderValues, numChoices?: string): GraphOutput[] {
  const h = c.hiddenSize;
  const n = c.numLabels;
  const pooled = (): string => {
    if (enc.pooled === null) throw new OnnxExportError('pooler.dense.weight', `a pooler for head ${head}`, 'absent');
    return enc.pooled;
  };
  switch (head) {
    case 'base':
      return encoderOutputs(c, enc, false);
    case 'mlm':
      return [{ name: 'logits', value: mlmLogits(g, c, w, enc.sequence), dims: [B, T, c.vocabSize] }];
    case 'pretraining':
      return [
        { name: 'logits', value: mlmLogits(g, c, w, enc.sequence), dims: [B, T, c.vocabSize] },
        { name: 'seq_relationship_logits', value: linear(g, w, pooled(), 'cls.seq_relationship', 2, h), dims: [B, 2] },
      ];
    case 'seqcls':
      return [{ name: 'logits', value: linear(g, w, pooled(), 'classifier', n, h), dims: [B, n] }];
    case 'tokcls':
      return [{ name: 'logits', value: linear(g, w, enc.sequence, 'classifier', n, h), dims: [B, T, n] }];
    case 'qa': {
      const both = linear(g, w, enc.sequence, 'qa_outputs', 2, h); // [B, T, 2]
      const pick = (i: number) => g.op('Gather', [both, g.int64([i], true)], { axis: { int: 2 } }); // [B, T]
      return [
        { name: 'start_logits', value: pick(0), dims: [B, T] },
        { name: 'end_logits', value: pick(1), dims: [B, T] },
      ];
    }
    case 'mc': {
      if (numChoices === undefined) throw new OnnxExportError('numChoices', 'the [1] shape value C for head mc', 'none');
      const scores = linear(g, w, pooled(), 'classifier', 1, h); // [B·C, 1]
      const shape = g.op('Concat', [g.int64([-1]), numChoices], { axis: { int: 0 } }); // [-1, C]
      return [{ name: 'logits', value: g.op('Reshape', [scores, shape]), dims: [B, 'num_choices'] }];
    }
    default:
      throw new OnnxExportError('head', HEAD_KINDS.join(', '), JSON.stringify(head));
  }
}
