// BERT for pre-training (HF `BertForPreTraining` / `BertForMaskedLM`): the encoder plus the MLM head (decoder
// tied to the word embeddings) and, for the `mlm+nsp` objective, the NSP head. Parameter names are HF's full
// names (`bert.embeddings.word_embeddings.weight`, `cls.predictions.bias`, ...), so gradients, optimizer state
// and checkpoints line up with PyTorch's `named_parameters()`; `cls.predictions.decoder.weight` is not a separate
// parameter (it is the word embedding table, whose gradient is the sum of both uses, as in torch).
import type { Rng } from '@bertkit/backend';
import { accuracy, crossEntropy, gatherRows } from '@bertkit/backend';
import { BertModel, MlmHead, assignHeadParams, headTensors, maskedTopK, type BertConfig, type HeadParam, type RawTensor } from '@bertkit/encoder';
import type { LossFn } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { NspHead } from './heads.js';
import { PretrainingModelError, isCausal, parseObjective, usesNsp, type Objective } from './objectives.js';
import type { PretrainingBatch } from './data-batch.js';
import { flatPredictions } from './pretraining-model-batch.js';

export interface PretrainingForwardOptions {
  /** Dropout on (needs `rng`). Default false. */
  training?: boolean;
  rng?: Rng;
  /** Activation checkpointing (the encoder's `checkpointLayers`): less memory, ~1/3 more compute. Default false. */
  checkpointLayers?: boolean;
}

export interface PretrainingLogits {
  mlmLogits: tf.Tensor2D; // [N, V] at the batch's masked positions
  nspLogits: tf.Tensor2D | null; // [B, 2]
}

export interface PretrainingLoss {
  loss: tf.Scalar;
  metrics: { mlmLoss: tf.Scalar; mlmAccuracy: tf.Scalar; nspLoss?: tf.Scalar; nspAccuracy?: tf.Scalar };
}

const WORD_EMBEDDINGS = 'embeddings.word_embeddings.weight';

/** A checkpoint as `loadModel` returns it (from '@bertkit/encoder/node'). */
export interface LoadedEncoder {
  config: BertConfig;
  model: BertModel;
  tensors: Map<string, RawTensor>;
}

export class BertForPreTraining {
  readonly objective: Objective;
  readonly mlm: MlmHead;
  readonly nsp: NspHead | null;

  private constructor(
    readonly bert: BertModel,
    objective: Objective,
    rng: Rng | null,
  ) {
    this.objective = parseObjective(objective);
    if (usesNsp(this.objective) && !bert.pooler) {
      throw new PretrainingModelError(`objective ${this.objective}: expected an encoder with a pooler, got none`);
    }
    this.mlm = new MlmHead(bert.config, rng);
    this.nsp = usesNsp(this.objective) ? new NspHead(bert.config, rng) : null;
  }

  /** A freshly initialised model (BERT's init: truncated normal std `initializerRange`, from `rng`). */
  static create(config: BertConfig, options: { rng: Rng; objective?: Objective }): BertForPreTraining {
    const objective = parseObjective(options.objective ?? 'mlm+nsp');
    const bert = new BertModel(config, { rng: options.rng, addPooler: usesNsp(objective) });
    try {
      return new BertForPreTraining(bert, objective, options.rng);
    } catch (e) {
      bert.dispose();
      throw e;
    }
  }

  /**
   * Wraps a loaded checkpoint (takes ownership of `loaded.model`) and copies the heads' `cls.*` weights from
   * its tensors. Missing head weights are an error unless `rng` is given (then they are freshly initialised,
   * as HF does when a BertModel checkpoint is loaded into BertForPreTraining).
   */
  static fromCheckpoint(loaded: LoadedEncoder, options: { objective?: Objective; rng?: Rng } = {}): BertForPreTraining {
    const objective = parseObjective(options.objective ?? (loaded.model.pooler ? 'mlm+nsp' : 'mlm'));
    const m = new BertForPreTraining(loaded.model, objective, options.rng ?? null);
    try {
      assignHeadParams(m.headParams(), loaded.tensors, { allowMissing: options.rng !== undefined });
    } catch (e) {
      m.dispose();
      throw e;
    }
    return m;
  }

  get config(): BertConfig {
    return this.bert.config;
  }

  /** The heads' parameters with HF names (NSP only for objectives that train it). */
  headParams(): HeadParam[] {
    return [...this.mlm.params(), ...(this.nsp ? this.nsp.params() : [])];
  }

  /** Every trainable variable by full HF name (`bert.` + encoder names, then `cls.*`). */
  parameters(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [name, v] of this.bert.parameters()) {
      // the pooler gets no gradient without NSP; leave it out so the optimizer does not track it
      if (!this.nsp && name.startsWith('pooler.')) continue;
      out.set(`bert.${name}`, v);
    }
    for (const p of this.headParams()) out.set(p.name, p.variable);
    return out;
  }

  /** Whether HF stores this parameter transposed ([out, in]) relative to ours ([in, out]). */
  isTransposed(name: string): boolean {
    if (name.startsWith('bert.')) {
      const bare = name.slice(5);
      return this.bert.namedParameters().some((p) => p.name === bare && p.transposed);
    }
    return this.headParams().some((p) => p.name === name && p.transposed);
  }

  /** The heads' tensors in HF layout (awaited reads), for `saveModel(dir, model.bert, {extraTensors})`. */
  headTensors(): Promise<Map<string, RawTensor>> {
    return headTensors(this.headParams());
  }

  /** HF architecture name for config.json. */
  architecture(): string {
    return this.nsp ? 'BertForPreTraining' : 'BertForMaskedLM';
  }

  private encode(batch: PretrainingBatch, options: PretrainingForwardOptions) {
    const shape: [number, number] = [batch.batchSize, batch.seqLength];
    return this.bert.forward(
      {
        inputIds: tf.tensor2d(batch.inputIds, shape, 'int32'),
        tokenTypeIds: tf.tensor2d(batch.tokenTypeIds, shape, 'int32'),
        attentionMask: tf.tensor2d(batch.attentionMask, shape, 'int32'),
      },
      // `ltr`: left-to-right attention, so the label at position i (token i+1) is never visible to it.
      {
        training: options.training ?? false,
        dropoutRng: options.rng,
        causal: isCausal(this.objective),
        checkpointLayers: options.checkpointLayers ?? false,
      },
    );
  }

  /** Logits at the batch's real predictions (weight > 0, row by row) and the NSP logits. The caller disposes them. */
  forward(batch: PretrainingBatch, options: PretrainingForwardOptions = {}): PretrainingLogits {
    return this.logitsAt(batch, flatPredictions(batch).positions, options);
  }

  /** MLM logits at every position [B, T, V] (and NSP logits): what HF's forward returns, for parity checks. */
  forwardAll(batch: PretrainingBatch, options: PretrainingForwardOptions = {}): PretrainingLogits {
    const all = Int32Array.from({ length: batch.batchSize * batch.seqLength }, (_, i) => i);
    const out = this.logitsAt(batch, all, options);
    const reshaped = tf.reshape(out.mlmLogits, [batch.batchSize, batch.seqLength, -1]);
    out.mlmLogits.dispose();
    return { mlmLogits: reshaped as unknown as tf.Tensor2D, nspLogits: out.nspLogits };
  }

  private logitsAt(batch: PretrainingBatch, positions: Int32Array, options: PretrainingForwardOptions): PretrainingLogits {
    checkBatch(batch);
    return tf.tidy(() => {
      const out = this.encode(batch, options);
      const h = this.config.hiddenSize;
      const flat = tf.reshape(out.sequenceOutput, [-1, h]) as tf.Tensor2D; // [B·T, H]
      const picked = gatherRows(flat, tf.tensor1d(positions, 'int32')) as tf.Tensor2D; // [N, H]
      const wordEmb = this.bert.parameters().get(WORD_EMBEDDINGS)! as tf.Tensor2D; // [V, H]
      const mlmLogits = this.mlm.apply(picked, wordEmb); // [N, V]
      const nspLogits = this.nsp && out.pooledOutput ? this.nsp.apply(out.pooledOutput) : null; // [B, 2]
      return { mlmLogits, nspLogits } as unknown as tf.TensorContainer;
    }) as unknown as PretrainingLogits;
  }

  /**
   * The objective's loss (HF BertForPreTraining: MLM mean CE over labelled positions + NSP mean CE) and metrics.
   * NSP labels of -1 are ignored. Everything returned is a new tensor the caller disposes.
   */
  loss(batch: PretrainingBatch, options: PretrainingForwardOptions = {}): PretrainingLoss {
    return tf.tidy(() => {
      const { positions, labels } = flatPredictions(batch);
      for (const l of labels) {
        if (!(l >= 0 && l < this.config.vocabSize)) {
          throw new PretrainingModelError(`batch.maskedIds: expected ids in [0, ${this.config.vocabSize}), got ${l}`);
        }
      }
      const { mlmLogits, nspLogits } = this.logitsAt(batch, positions, options);
      const mlmLabels = tf.tensor1d(labels, 'int32'); // [N]
      const mlmLoss = crossEntropy(mlmLogits, mlmLabels);
      const metrics: PretrainingLoss['metrics'] = { mlmLoss, mlmAccuracy: accuracy(mlmLogits, mlmLabels) };
      let loss = mlmLoss;
      if (nspLogits) {
        const rows = [...batch.nspLabels.keys()].filter((i) => batch.nspLabels[i] >= 0); // IGNORE_INDEX: no label
        const labels = tf.tensor1d(rows.map((i) => batch.nspLabels[i]), 'int32'); // [B']
        const logits = rows.length === batch.batchSize ? nspLogits : (tf.gather(nspLogits, rows) as tf.Tensor2D); // [B', 2]
        const nspLoss = crossEntropy(logits, labels);
        metrics.nspLoss = nspLoss;
        metrics.nspAccuracy = accuracy(logits, labels);
        loss = tf.add(mlmLoss, nspLoss);
      }
      return { loss, metrics } as unknown as tf.TensorContainer;
    }) as unknown as PretrainingLoss;
  }

  /**
   * The k most likely tokens at each real prediction of the batch (eval mode), for showing the model filling in
   * masked words. `position` is the flat index b·T + t.
   */
  async predictMasked(batch: PretrainingBatch, k = 5): Promise<{ position: number; ids: number[]; probs: number[] }[]> {
    checkBatch(batch);
    const { positions } = flatPredictions(batch);
    const shape: [number, number] = [batch.batchSize, batch.seqLength];
    const top = tf.tidy(() =>
      maskedTopK(this.bert, this.mlm, {
        inputIds: tf.tensor2d(batch.inputIds, shape, 'int32'),
        tokenTypeIds: tf.tensor2d(batch.tokenTypeIds, shape, 'int32'),
        attentionMask: tf.tensor2d(batch.attentionMask, shape, 'int32'),
      }, positions, k, { causal: isCausal(this.objective) }) as unknown as tf.TensorContainer,
    ) as unknown as { values: tf.Tensor2D; indices: tf.Tensor2D };
    try {
      const kk = top.values.shape[1];
      const [p, ids] = await Promise.all([top.values.data(), top.indices.data()]);
      return [...positions].map((position, i) => ({ position, ids: Array.from(ids.subarray(i * kk, (i + 1) * kk)), probs: Array.from(p.subarray(i * kk, (i + 1) * kk)) }));
    } finally {
      tf.dispose([top.values, top.indices]);
    }
  }

  /**
   * The model as a task for @bertkit/training's `train`: its named parameters and loss (dropout from ctx.rng).
   * `checkpointLayers` recomputes each encoder layer in the backward pass (less memory, same gradients).
   */
  asTask(options: { checkpointLayers?: boolean } = {}): { params: Map<string, tf.Variable>; lossFn: LossFn<PretrainingBatch> } {
    return {
      params: this.parameters(),
      lossFn: (batch, ctx) => {
        const { loss, metrics } = this.loss(batch, { training: ctx.training, rng: ctx.rng, checkpointLayers: options.checkpointLayers });
        return { loss, metrics: metrics as Record<string, tf.Scalar> };
      },
    };
  }

  dispose(): void {
    this.bert.dispose();
    this.mlm.dispose();
    this.nsp?.dispose();
  }
}

function checkBatch(b: PretrainingBatch): void {
  const n = b.batchSize * b.seqLength;
  for (const k of ['inputIds', 'tokenTypeIds', 'attentionMask'] as const) {
    if (b[k].length !== n) throw new PretrainingModelError(`batch.${k}: expected ${n} values (B·T), got ${b[k].length}`);
  }
  const np = b.batchSize * b.maxPredictions;
  for (const k of ['maskedPositions', 'maskedIds', 'maskedWeights'] as const) {
    if (b[k].length !== np) throw new PretrainingModelError(`batch.${k}: expected ${np} values (B·P), got ${b[k].length}`);
  }
  for (const p of b.maskedPositions) {
    if (!(p >= 0 && p < b.seqLength)) throw new PretrainingModelError(`batch.maskedPositions: expected values in [0, ${b.seqLength}), got ${p}`);
  }
  if (b.nspLabels.length !== b.batchSize) {
    throw new PretrainingModelError(`batch.nspLabels: expected ${b.batchSize} values, got ${b.nspLabels.length}`);
  }
}
