// The BERT encoder (Devlin et al. 2018 §3; HF `BertModel`): embeddings → L Transformer layers → optional pooler.
// Parameters are tf.Variables named exactly as HF's `BertModel.state_dict()` keys (no `bert.` prefix).
import { additiveMask, fusedKernelsAvailable, type Rng } from '@bertkit/backend';
import * as tf from '@tensorflow/tfjs-core';
import { validateConfig, type BertConfig } from './config.js';
import { Embeddings } from './layers/embeddings.js';
import { Encoder } from './layers/encoder.js';
import { disposeParams, prefixed, record, type ForwardContext, type Init, type NamedParams, type Param } from './layers/modules.js';
import { Pooler } from './layers/pooler.js';

/** The model's inputs were not what it accepts (rank, dtype, shapes, sequence length). */
export class BertInputError extends Error {
  override readonly name = 'BertInputError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`BertModel.forward ${field}: expected ${expected}, got ${actual}`);
  }
}

export interface BertModelOptions {
  /** Add the [CLS] pooler (HF `add_pooling_layer`). Default true. */
  addPooler?: boolean;
  /**
   * `truncated-normal` (default): the paper's init, drawn from `rng` (required). `zeros`: allocate only, for
   * a model whose weights are loaded right after (no RNG needed, and no time spent drawing).
   */
  init?: 'truncated-normal' | 'zeros';
  rng?: Rng;
}

export interface BertInputs {
  inputIds: tf.Tensor2D; // int32 [B, T]
  tokenTypeIds?: tf.Tensor2D; // int32 [B, T], default all 0 (sentence A)
  attentionMask?: tf.Tensor2D; // [B, T], 1 = attend, 0 = padding; default all 1
}

export interface ForwardOptions {
  outputHiddenStates?: boolean;
  outputAttentions?: boolean;
  /** Training mode: dropout on (needs `dropoutRng`, or its alias `rng`). Default false. */
  training?: boolean;
  dropoutRng?: Rng;
  rng?: Rng;
  /**
   * Causal (left-to-right) attention: position i attends only to keys j ≤ i, as in OpenAI GPT — the paper's
   * `LTR & No NSP` ablation (Table 5). Combined with the padding mask. Default false (bidirectional BERT).
   */
  causal?: boolean;
  /** Collect every intermediate under the fixture names (`embeddings`, `layer.{i}.attention_context`, ...). */
  capture?: boolean;
  /**
   * Activation checkpointing in training: each layer keeps only its input for the backward pass and is recomputed
   * there (same dropout masks), so a batch needs one layer's activations at a time instead of all of them, for
   * about a third more compute. Same gradients. Default false.
   */
  checkpointLayers?: boolean;
}

export interface BertOutput {
  sequenceOutput: tf.Tensor3D; // [B, T, H]
  pooledOutput: tf.Tensor2D | null; // [B, H]
  hiddenStates?: tf.Tensor3D[]; // L + 1 × [B, T, H]: embeddings, then each layer's output
  attentions?: tf.Tensor4D[]; // L × [B, A, T, T]
  /** With `capture`: embeddings, layer.{i}.attention_probs/attention_context/attention_output/
   * intermediate_output/output, sequence_output, pooled_output. */
  captured?: Record<string, tf.Tensor>;
}

/** Disposes every tensor of a forward pass's output (tensors shared by several fields are freed once). */
export function disposeBertOutput(out: BertOutput): void {
  const all = new Set<tf.Tensor>([out.sequenceOutput]);
  if (out.pooledOutput) all.add(out.pooledOutput);
  for (const t of [...(out.hiddenStates ?? []), ...(out.attentions ?? []), ...Object.values(out.captured ?? {})]) all.add(t);
  tf.dispose([...all]);
}

/** One parameter with its HF name (without the `bert.` prefix). */
export interface NamedParameter extends Param {
  name: string;
}

const FLOAT32_MIN = -3.4028234663852886e38; // torch.finfo(torch.float32).min

export class BertModel {
  readonly config: BertConfig;
  readonly embeddings: Embeddings;
  readonly encoder: Encoder;
  readonly pooler: Pooler | null;
  private disposed = false;

  constructor(config: BertConfig, options: BertModelOptions = {}) {
    this.config = validateConfig(config);
    const kind = options.init ?? 'truncated-normal';
    let init: Init;
    if (kind === 'zeros') {
      init = { kind: 'zeros' };
    } else if (kind === 'truncated-normal') {
      if (options.rng === undefined) {
        throw new BertInputError('options.rng', "an Rng for init 'truncated-normal' (or init: 'zeros')", 'none');
      }
      init = { kind, rng: options.rng, std: config.initializerRange };
    } else {
      throw new BertInputError('options.init', "'truncated-normal' or 'zeros'", JSON.stringify(kind));
    }
    this.embeddings = new Embeddings(config, init);
    this.encoder = new Encoder(config, init);
    this.pooler = (options.addPooler ?? true) ? new Pooler(config.hiddenSize, init) : null;
  }

  /**
   * Runs the encoder inside one `tf.tidy`: only the returned tensors survive; the caller disposes them
   * (`tf.dispose(out)`).
   */
  forward(inputs: BertInputs, options: ForwardOptions = {}): BertOutput {
    if (this.disposed) throw new BertInputError('model', 'a live model', 'a disposed one');
    const { inputIds, tokenTypeIds, attentionMask } = inputs;
    this.checkInputs(inputIds, tokenTypeIds, attentionMask);
    const training = options.training ?? false;
    const ctx: ForwardContext = {
      training,
      dropoutRng: options.dropoutRng ?? options.rng ?? null,
      capture: options.capture ? {} : null,
      // The fused WebGPU kernels (a tiny forward in ~20 dispatches instead of ~120) compute the same values
      // within f32 rounding but never materialise the attention probabilities. In training the dropout masks are
      // the unfused path's (same RNG draws, same order, the same counter-based hash).
      fused: fusedKernelsAvailable() && !options.capture && !options.outputAttentions,
      checkpoint: (options.checkpointLayers ?? false) && !options.outputAttentions,
    };
    return tf.tidy(() => {
      const types = tokenTypeIds ?? tf.zerosLike(inputIds); // [B, T]
      const mask = attentionMask ?? tf.onesLike(inputIds); // [B, T]
      // HF `get_extended_attention_mask`: (1 - mask) * finfo(float32).min, broadcast over heads and queries.
      const [b, t] = inputIds.shape;
      let additive: tf.Tensor4D; // [B, 1, 1 | T, T]
      if (options.causal) {
        // Lower-triangular [T, T] (query i, key j ≤ i), multiplied in so a key masked twice is still one min.
        const lower = tf.linalg.bandPart(tf.ones([t, t]), -1, 0); // [T, T]
        const keep = tf.mul(tf.reshape(tf.cast(mask, 'float32'), [b, 1, 1, t]), tf.reshape(lower, [1, 1, t, t])); // [B, 1, T, T]
        additive = tf.mul(tf.sub(1, keep), FLOAT32_MIN) as tf.Tensor4D;
      } else {
        additive = additiveMask(mask as tf.Tensor2D); // [B, 1, 1, T] (one dispatch on WebGPU)
      }

      const emb = this.embeddings.forward(inputIds, types, ctx); // [B, T, H]
      record(ctx, 'embeddings', emb);
      const enc = this.encoder.forward(emb, additive, ctx);
      const sequenceOutput = enc.last; // [B, T, H]
      const pooledOutput = this.pooler ? this.pooler.forward(sequenceOutput, ctx) : null; // [B, H]
      record(ctx, 'sequence_output', sequenceOutput);
      if (pooledOutput) record(ctx, 'pooled_output', pooledOutput);

      const out: BertOutput = { sequenceOutput, pooledOutput };
      if (options.outputHiddenStates) out.hiddenStates = [emb, ...enc.hiddenStates];
      if (options.outputAttentions) out.attentions = enc.attentions;
      if (ctx.capture) out.captured = ctx.capture;
      return out as unknown as tf.TensorContainer;
    }) as unknown as BertOutput;
  }

  private checkInputs(ids: tf.Tensor | undefined, types: tf.Tensor | undefined, mask: tf.Tensor | undefined): void {
    if (!(ids instanceof tf.Tensor)) throw new BertInputError('inputIds', 'an int32 tensor [B, T]', String(ids));
    if (ids.rank !== 2 || ids.dtype !== 'int32') {
      throw new BertInputError('inputIds', 'an int32 tensor [B, T]', `${ids.dtype} [${ids.shape}]`);
    }
    const t = ids.shape[1] as number;
    if (t > this.config.maxPositionEmbeddings || t < 1) {
      throw new BertInputError('inputIds', `a sequence length in [1, ${this.config.maxPositionEmbeddings}]`, `${t}`);
    }
    const same = (x: tf.Tensor) => x.rank === 2 && x.shape[0] === ids.shape[0] && x.shape[1] === t;
    if (types !== undefined && (!(types instanceof tf.Tensor) || !same(types) || types.dtype !== 'int32')) {
      throw new BertInputError('tokenTypeIds', `an int32 tensor [${ids.shape}]`, describe(types));
    }
    if (mask !== undefined && (!(mask instanceof tf.Tensor) || !same(mask) || mask.dtype === 'string')) {
      throw new BertInputError('attentionMask', `a numeric tensor [${ids.shape}]`, describe(mask));
    }
  }

  /** Every parameter with its HF name and layout, in HF's `state_dict` order. */
  namedParameters(): NamedParameter[] {
    const list: NamedParams = [
      ...prefixed('embeddings', this.embeddings.params()),
      ...prefixed('encoder', this.encoder.params()),
      ...(this.pooler ? prefixed('pooler', this.pooler.params()) : []),
    ];
    return list.map(([name, p]) => ({ name, ...p }));
  }

  /** HF name (no `bert.` prefix) → variable. Dense kernels are stored [in, out] (HF's weight transposed). */
  parameters(): Map<string, tf.Variable> {
    return new Map(this.namedParameters().map((p) => [p.name, p.variable]));
  }

  /** Frees every variable; the model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    const list: NamedParams = this.namedParameters().map((p) => [p.name, p]);
    disposeParams(list);
    this.disposed = true;
  }
}

function describe(x: unknown): string {
  return x instanceof tf.Tensor ? `${x.dtype} [${x.shape}]` : String(x);
}
