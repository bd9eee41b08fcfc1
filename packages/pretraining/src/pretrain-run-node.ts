// A whole pre-training run (Node): data (a corpus turned into instances in memory, or shards written by
// `writePretrainingData`), the model (a preset, an HF directory to start from, or the newest checkpoint when
// resuming), @bertkit/training's loop, checkpoints, metrics.jsonl and the final HF directory. Options in, events
// out: `bert pretrain`, the quickstart and any other app are views of this run. Everything that decides the numbers
// is seeded or restored from the checkpoint, so a resumed run logs the same losses as an uninterrupted one.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '@bertkit/backend';
import { bertConfig, countParameters, presets, type BertConfig, type PresetName } from '@bertkit/encoder';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { saveTokenizer } from '@bertkit/tokenizer/node';
import { AdamW, linearWarmupDecay, train, type AdamWConfig, type StepEvent, type TrainEvent } from '@bertkit/training';
import { MetricsWriter } from '@bertkit/training/node';
import * as tf from '@tensorflow/tfjs-core';
import { iterateBatches, type PretrainingBatch } from './data-batch.js';
import { resolveDataOptions, type DataOptions } from './data-config.js';
import { predictionsPerInstance, pretrainingInstances } from './data-pipeline.js';
import { batchTokens } from './pretraining-model-batch.js';
import { corpusDocuments, readDataMeta } from './data-files.js';
import type { ReadCorpusOptions } from './corpus-reader.js';
import type { TrainingInstance } from './instances.js';
import { initPositionEmbeddings, type PositionInit } from './position-init.js';
import type { Objective } from './objectives.js';
import { BertForPreTraining } from './pretraining-model.js';
import { loadPretrainingModel, pretrainingCheckpointer, resumePretraining, savePretrainingModel } from './pretraining-model-node.js';
import { readBatches } from './shards-file.js';
import { OrtStepRunner } from './ort/ort-step-runner.js';
import { ortThreadsText } from '@bertkit/onnx';

/** A run whose inputs do not fit together (data vs vocabulary, resume vs arguments). */
export class PretrainConfigError extends Error {
  override name = 'PretrainConfigError';
}

export interface ModelShape {
  preset: PresetName;
  layers?: number;
  hidden?: number;
  heads?: number;
  intermediate?: number;
  /** hidden_dropout_prob (embeddings and every sub-layer output); default the preset's 0.1. */
  dropout?: number;
  /** attention_probs_dropout_prob; default the preset's 0.1. */
  attentionDropout?: number;
}

export interface PretrainRunOptions {
  out: string;
  tokenizer: BertTokenizer;
  vocabFile: string;
  /** A corpus (file, dir, `brown`) turned into instances in memory, or a shards directory. */
  corpus?: string;
  data?: string;
  model: ModelShape;
  init?: string;
  /**
   * With `init`: start from a deeper (or shallower) model of this many encoder layers, layer i a copy of the
   * checkpoint's layer i mod L — progressive stacking (Gong et al. 2019): a trained 2-layer model stacked to 4
   * regains its loss within a few hundred steps (docs/pretraining.md).
   */
  initLayers?: number;
  objective: Objective;
  steps: number;
  batchSize: number;
  maxSeqLength: number;
  lr: number;
  warmup: number;
  seed: number;
  /** Instance options for `corpus` (dupe factor, masking). */
  dataOptions?: Partial<DataOptions>;
  /** How `corpus` files are read (format `lines` / `paragraphs` / `wikitext`, Project Gutenberg boilerplate). */
  corpusOptions?: ReadCorpusOptions;
  /** AdamW's betas, eps and weight decay (default 0.9 / 0.999 / 1e-6 / 0.01, BERT's). */
  optimizer?: Omit<AdamWConfig, 'decay'>;
  /** Global-norm gradient clipping; null turns it off (default 1.0, BERT's). */
  clipNorm?: number | null;
  /** How a model made from scratch initialises position embeddings (default `normal`, BERT's N(0, 0.02)). */
  positionInit?: PositionInit;
  /**
   * Activation checkpointing: each encoder layer keeps only its input and is recomputed in the backward pass —
   * one layer's activations in memory at a time (e.g. mini at 32 × 128 within the wasm heap), ~1/3 more compute.
   */
  checkpointLayers?: boolean;
  /**
   * What runs the steps: `tfjs` (default; the current tfjs backend) or `ort` (ONNX Runtime's CPU kernels through
   * onnxruntime-node, an optional dependency: objectives mlm and mlm+nsp; the same losses, several times faster on
   * a CPU). Checkpoints, resumption and the saved model do not depend on it.
   */
  engine?: 'tfjs' | 'ort';
  /** `ort`: threads per operator (intraOpNumThreads). Default: ORT's choice (the physical cores). */
  threads?: number;
  resume?: boolean;
  checkpointEvery?: number;
  logEvery?: number;
  keepLast?: number;
  signal?: AbortSignal;
  /** Progress: the setup, the training loop's events (after each metrics line is written), notices. */
  onEvent?: (e: PretrainRunEvent) => void | Promise<void>;
  /** Keep the trained model (the caller disposes it); otherwise it is disposed after saving. */
  keepModel?: boolean;
}

/** What a run reports: its setup (one line's worth), the loop's events, and notices (e.g. nothing to resume). */
export type PretrainRunEvent =
  | { type: 'setup'; description: string; config: BertConfig; parameters: number; startStep: number; resumedFrom: string | null }
  | { type: 'notice'; message: string }
  | TrainEvent;

export interface PretrainRunResult {
  model: BertForPreTraining | null;
  config: BertConfig;
  /** The tfjs backend the run used (with engine ort it only held the weights). */
  backend: string;
  /** What ran the steps. */
  engine: 'tfjs' | 'ort';
  startStep: number;
  step: number;
  losses: number[];
  firstMlmLoss: number | undefined;
  lastMlmLoss: number | undefined;
  elapsedSec: number;
  metricsPath: string;
  /** The last logged step's summary line. */
  summary: string;
}

/** The model configuration of a preset with overrides (intermediate defaults to 4 × hidden when hidden is set). */
export function modelConfig(shape: ModelShape, vocabSize: number, maxSeqLength: number): BertConfig {
  const p = presets[shape.preset];
  const hidden = shape.hidden ?? p.hiddenSize;
  return bertConfig({
    ...p,
    vocabSize,
    numHiddenLayers: shape.layers ?? p.numHiddenLayers,
    hiddenSize: hidden,
    numAttentionHeads: shape.heads ?? p.numAttentionHeads,
    intermediateSize: shape.intermediate ?? (shape.hidden !== undefined ? 4 * hidden : p.intermediateSize),
    maxPositionEmbeddings: Math.max(p.maxPositionEmbeddings, maxSeqLength),
    hiddenDropoutProb: shape.dropout ?? p.hiddenDropoutProb,
    attentionProbsDropoutProb: shape.attentionDropout ?? p.attentionProbsDropoutProb,
  });
}

type Position = unknown;
interface BatchSource {
  batches(start: Position | undefined): AsyncIterable<{ batch: PretrainingBatch; position: Position }> | Iterable<{ batch: PretrainingBatch; position: Position }>;
  describe: string;
}

async function corpusSource(o: PretrainRunOptions): Promise<BatchSource> {
  const opts = resolveDataOptions({ ...o.dataOptions, maxSeqLength: o.maxSeqLength });
  const P = predictionsPerInstance(opts, o.objective);
  const instances: TrainingInstance[] = [];
  const { documents } = corpusDocuments(o.corpus!, o.corpusOptions);
  for await (const x of pretrainingInstances(documents, o.tokenizer, { ...opts, objective: o.objective }, new Rng(o.seed))) instances.push(x);
  if (instances.length === 0) throw new PretrainConfigError(`--corpus ${o.corpus}: expected text that yields instances, got none`);
  return {
    describe: `${instances.length} instances from ${o.corpus} (dupe factor ${opts.dupeFactor})`,
    batches: (start) => iterateBatches(instances, o.batchSize, o.maxSeqLength, P, (start as { epoch: number; record: number } | undefined) ?? { epoch: 0, record: 0 }, o.tokenizer.padTokenId),
  };
}

function shardSource(o: PretrainRunOptions): BatchSource {
  const meta = readDataMeta(o.data!);
  if (meta.vocabSize !== o.tokenizer.vocabSize) {
    throw new PretrainConfigError(`--data ${o.data}: shards were made with a ${meta.vocabSize}-token vocabulary, --vocab has ${o.tokenizer.vocabSize}`);
  }
  if (o.objective === 'mlm+nsp' && meta.objective !== 'mlm+nsp') {
    throw new PretrainConfigError(`--data ${o.data}: objective mlm+nsp needs NSP labels, the shards were made for '${meta.objective}'`);
  }
  if (meta.options.maxSeqLength !== o.maxSeqLength) {
    throw new PretrainConfigError(`--max-seq-length: the shards hold ${meta.options.maxSeqLength}-token instances, got ${o.maxSeqLength}`);
  }
  return {
    describe: `${meta.instances} instances from ${o.data}`,
    batches: (start) => readBatches(o.data!, { batchSize: o.batchSize, loop: true, ...(start ? { start: start as { epoch: number; shard: number; record: number } } : {}) }),
  };
}

/** Fields that must not change between a run and its resumption (else the resumed losses would differ). */
const FIXED = ['batchSize', 'seed', 'maxSeqLength', 'objective', 'corpus', 'data'] as const;

/** Runs pre-training on the current tfjs backend (the caller initialises it; it holds the weights) or, with `engine:
 * 'ort'`, in ONNX Runtime, and writes the HF directory `out`. */
export async function runPretraining(o: PretrainRunOptions): Promise<PretrainRunResult> {
  if (!o.corpus === !o.data) throw new PretrainConfigError('expected exactly one of --corpus and --data');
  const engine = o.engine ?? 'tfjs';
  if (engine === 'ort' && o.checkpointLayers) throw new PretrainConfigError('--checkpoint-layers: expected the tfjs engine (ORT keeps its own activations), got --engine ort');
  if (engine === 'ort' && o.objective === 'ltr') throw new PretrainConfigError('--engine ort: expected objective mlm or mlm+nsp, got ltr (use the tfjs engine)');
  if (o.initLayers !== undefined && !o.init) throw new PretrainConfigError(`--init-layers: expected --init <dir> (the checkpoint to stack), got none`);
  if (o.threads !== undefined && engine !== 'ort') throw new PretrainConfigError(`--threads: expected --engine ort (ORT's threads), got --engine ${engine}`);
  const emit = async (e: PretrainRunEvent) => {
    await o.onEvent?.(e);
  };
  await mkdir(o.out, { recursive: true });
  const ckRoot = join(o.out, 'checkpoints');
  const runConfig = { objective: o.objective, batchSize: o.batchSize, seed: o.seed, maxSeqLength: o.maxSeqLength, corpus: o.corpus ?? null, data: o.data ?? null, steps: o.steps, lr: o.lr, warmup: o.warmup };

  let model: BertForPreTraining;
  const optimizer = new AdamW(o.optimizer);
  let rng = new Rng(o.seed + 1); // dropout; the model init uses Rng(seed), the data Rng(seed) in its own stream
  let startStep = 0;
  let dataPosition = 0;
  let start: Position | undefined;
  const resumed = o.resume ? await resumePretraining(ckRoot) : null;
  if (o.resume && !resumed) await emit({ type: 'notice', message: `--resume: no checkpoint under ${ckRoot}, starting from step 0` });
  if (resumed) {
    const saved = (resumed.state.config ?? {}) as Record<string, unknown>;
    for (const k of FIXED) {
      if (k in saved && saved[k] !== runConfig[k]) {
        resumed.model.dispose();
        throw new PretrainConfigError(`--resume: ${k} expected ${JSON.stringify(saved[k])} (as the checkpointed run), got ${JSON.stringify(runConfig[k])}`);
      }
    }
    model = resumed.model;
    optimizer.setState(resumed.optimizer);
    if (resumed.state.rngState) rng = Rng.fromState(resumed.state.rngState);
    startStep = resumed.state.step;
    dataPosition = resumed.state.dataPosition;
    start = resumed.state.extra?.position;
  } else if (o.init) {
    model = await loadPretrainingModel(o.init, {
      objective: o.objective,
      rng: new Rng(o.seed),
      ...(o.initLayers !== undefined ? { numLayers: o.initLayers } : {}),
    });
  } else {
    model = BertForPreTraining.create(modelConfig(o.model, o.tokenizer.vocabSize, o.maxSeqLength), { rng: new Rng(o.seed), objective: o.objective });
    if (o.positionInit && o.positionInit !== 'normal') initPositionEmbeddings(model, o.positionInit);
  }
  const config = model.config;
  try {
    if (config.vocabSize !== o.tokenizer.vocabSize) {
      throw new PretrainConfigError(`--vocab: the model has a ${config.vocabSize}-token vocabulary, the tokenizer ${o.tokenizer.vocabSize}`);
    }
    if (o.maxSeqLength > config.maxPositionEmbeddings) {
      throw new PretrainConfigError(`--max-seq-length: expected <= the model's max_position_embeddings ${config.maxPositionEmbeddings}, got ${o.maxSeqLength}`);
    }
    const source = o.corpus ? await corpusSource(o) : shardSource(o);
    const parameters = countParameters(config);
    const backend = tf.getBackend();
    const runner = engine === 'ort' ? await OrtStepRunner.create({ model, optimizer, ...(o.clipNorm !== undefined ? { clipNorm: o.clipNorm } : {}), ...(o.threads !== undefined ? { threads: o.threads } : {}) }) : undefined;
    const engineText = engine === 'ort' ? `engine ort (onnxruntime-node, ${ortThreadsText(o.threads)})` : `backend ${backend}`;
    await emit({
      type: 'setup',
      config,
      parameters,
      startStep,
      resumedFrom: resumed ? resumed.dir : null,
      description:
        `${o.objective}, ${config.numHiddenLayers} layers × ${config.hiddenSize} hidden × ${config.numAttentionHeads} heads (${(parameters / 1e6).toFixed(2)}M parameters), ` +
        `vocab ${config.vocabSize}, batch ${o.batchSize} × ${o.maxSeqLength}, ${source.describe}, ${engineText}` +
        `${resumed ? `, resuming at step ${startStep} from ${resumed.dir}` : ''}`,
    });

    let position: Position | undefined = start;
    const src = source.batches(start);
    async function* tracked(): AsyncGenerator<PretrainingBatch> {
      for await (const { batch, position: p } of src) {
        position = p; // where the next batch starts: what a checkpoint after this batch must store
        yield batch;
      }
    }
    const metricsPath = join(o.out, 'metrics.jsonl');
    const metrics = new MetricsWriter(metricsPath, resumed ? { resumeStep: startStep } : { append: false });
    let last: StepEvent | undefined;
    let firstMlmLoss: number | undefined;
    let lastMlmLoss: number | undefined;
    const { params: vars, lossFn } = model.asTask({ checkpointLayers: o.checkpointLayers ?? false });
    const result = await train({
      ...(runner ? { runner } : {}),
      params: vars,
      lossFn,
      optimizer,
      schedule: linearWarmupDecay({ peakLr: o.lr, warmupSteps: Math.min(o.warmup, o.steps), totalSteps: o.steps }), // warmup: steps
      steps: o.steps,
      startStep,
      dataPosition,
      data: tracked(),
      rng,
      ...(o.clipNorm !== undefined ? { clipNorm: o.clipNorm } : {}),
      logEvery: o.logEvery ?? 1,
      checkpointEvery: o.checkpointEvery ?? 0,
      checkpoint: pretrainingCheckpointer(ckRoot, model, optimizer, {
        vocabFile: o.vocabFile,
        keepLast: o.keepLast ?? 3,
        config: runConfig,
        extra: () => ({ position }),
      }),
      tokensInBatch: batchTokens,
      signal: o.signal,
      onEvent: async (e) => {
        if (e.type === 'step') {
          metrics.write(e);
          last = e;
          firstMlmLoss ??= e.mlmLoss;
          lastMlmLoss = e.mlmLoss;
        }
        await emit(e);
      },
    });
    metrics.close();
    await savePretrainingModel(o.out, model);
    await saveTokenizer(o.tokenizer, o.out);
    const l = last as StepEvent | undefined;
    const summary = l
      ? `step ${l.step}/${o.steps}: loss ${l.loss.toFixed(4)}${l.mlmLoss !== undefined ? `, MLM loss ${l.mlmLoss.toFixed(4)}, MLM accuracy ${(l.mlmAccuracy ?? 0).toFixed(4)}` : ''}${l.nspLoss !== undefined ? `, NSP loss ${l.nspLoss.toFixed(4)}, NSP accuracy ${(l.nspAccuracy ?? 0).toFixed(4)}` : ''}`
      : `no step run (already at step ${startStep})`;
    const out: PretrainRunResult = {
      model: o.keepModel ? model : null,
      config,
      backend,
      engine,
      startStep,
      step: result.step,
      losses: result.losses,
      firstMlmLoss,
      lastMlmLoss,
      elapsedSec: l?.elapsedSec ?? 0,
      metricsPath,
      summary,
    };
    if (!o.keepModel) model.dispose();
    return out;
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
}
