// The next-sentence head of BERT (paper §3.1; HF `BertOnlyNSPHead`, google-research/bert
// `get_next_sentence_output`): `cls.seq_relationship.{weight,bias}`, a dense H→2 on the pooled [CLS] output.
// The masked-LM head is @bertkit/encoder's MlmHead (one implementation for pre-training, fill-mask and serving).
import type { Rng } from '@bertkit/backend';
import { Dense, headInit, type BertConfig, type HeadParam } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';

/** The next-sentence head: a dense layer H→2 on the pooled output (0 = IsNext, 1 = NotNext). */
export class NspHead {
  readonly dense: Dense; // [H, 2]

  constructor(config: Pick<BertConfig, 'hiddenSize' | 'initializerRange'>, rng: Rng | null) {
    this.dense = new Dense(config.hiddenSize, 2, headInit(config, rng));
  }

  /** [B, H] pooled → [B, 2] logits */
  apply(pooled: tf.Tensor2D): tf.Tensor2D {
    return this.dense.apply(pooled);
  }

  params(): HeadParam[] {
    return this.dense.params().map(([n, p]) => ({ name: `cls.seq_relationship.${n}`, ...p }));
  }

  dispose(): void {
    for (const p of this.params()) p.variable.dispose();
  }
}
