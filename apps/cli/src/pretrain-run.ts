// The wiring behind `bert pretrain` (and the quickstart's training stage): data (a corpus turned into instances
// in memory, or shards from `bert pretrain-data`), the model (a preset, or `--init` from an HF directory, or the
// newest checkpoint on `--resume`), @bertkit/training's loop, metrics.jsonl, the loss chart and the final HF
// directory. Everything that decides the numbers is seeded or restored from the checkpoint, so a resumed run
// logs the same losses as an uninterrupted one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng, initBackend, type BackendName } from '@bertkit/backend';
import { bertConfig, countParameters, presets, type BertConfig, type PresetName } from '@bertkit/encoder';
import {
  BertForPreTraining,
  batchTokens,
  corpusDocuments,
  iterateBatches,
  loadPretrainingModel,
  predictionsPerInstance,
  pretrainingCheckpointer,
  pretrainingInstances,
  readBatches,
  readDataMeta,
  resolveDataOptions,
  resumePretraining,
  savePretrainingModel,
  type DataOptions,
  type Objective,
  type PretrainingBatch,
  type TrainingInstance,
} from '@bertkit/pretraining/node';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { saveTokenizer } from '@bertkit/tokenizer/node';
import { AdamW, linearWarmupDecay, train, type StepEvent } from '@bertkit/training';
import { MetricsWriter } from '@bertkit/training/node';
import type { Io } from './command.js';
import { chartPointsFromJsonl, lossChartHtml, lossChartSvg } from './loss-chart.js';
import { ProgressBar } from './progress.js';

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
  objective: Objective;
  steps: number;
  batchSize: number;
  maxSeqLength: number;
  lr: number;
  warmup: number;
  seed: number;
  /** Instance options for `corpus` (dupe factor, masking). */
  dataOptions?: Partial<DataOptions>;
  resume?: boolean;
  backend?: BackendName;
  checkpointEvery?: number;
  logEvery?: number;
  keepLast?: number;
  signal?: AbortSignal;
  /** Called on every logged step (after the metrics line is written). */
  onStep?: (e: StepEvent) => void;
  /** Draw the progress bar on stderr (default true; the quickstart prints its own lines). */
  progress?: boolean;
  /** Keep the trained model (the caller disposes it); otherwise it is disposed after saving. */
  keepModel?: boolean;
}

export interface PretrainRunResult {
  model: BertForPreTraining | null;
  config: BertConfig;
  backend: BackendName;
  startStep: number;
  step: number;
  losses: number[];
  firstMlmLoss: number | undefined;
  lastMlmLoss: number | undefined;
  elapsedSec: number;
  metricsPath: string;
  chartPath: string;
  svgPath: string;
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
  const { documents } = corpusDocuments(o.corpus!);
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

export async function runPretraining(o: PretrainRunOptions, io: Io): Promise<PretrainRunResult> {
  if (!o.corpus === !o.data) throw new PretrainConfigError('expected exactly one of --corpus and --data');
  const { backend } = await initBackend(o.backend ? { backend: o.backend } : { prefer: ['wasm', 'cpu'] });
  await mkdir(o.out, { recursive: true });
  const ckRoot = join(o.out, 'checkpoints');
  const runConfig = { objective: o.objective, batchSize: o.batchSize, seed: o.seed, maxSeqLength: o.maxSeqLength, corpus: o.corpus ?? null, data: o.data ?? null, steps: o.steps, lr: o.lr, warmup: o.warmup };

  let model: BertForPreTraining;
  const optimizer = new AdamW();
  let rng = new Rng(o.seed + 1); // dropout; the model init uses Rng(seed), the data Rng(seed) in its own stream
  let startStep = 0;
  let dataPosition = 0;
  let start: Position | undefined;
  const resumed = o.resume ? await resumePretraining(ckRoot) : null;
  if (o.resume && !resumed) io.stderr.write(`pretrain: --resume: no checkpoint under ${ckRoot}, starting from step 0\n`);
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
    model = await loadPretrainingModel(o.init, { objective: o.objective, rng: new Rng(o.seed) });
  } else {
    model = BertForPreTraining.create(modelConfig(o.model, o.tokenizer.vocabSize, o.maxSeqLength), { rng: new Rng(o.seed), objective: o.objective });
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
    const params = countParameters(config);
    io.stderr.write(
      `pretrain: ${o.objective}, ${config.numHiddenLayers} layers × ${config.hiddenSize} hidden × ${config.numAttentionHeads} heads (${(params / 1e6).toFixed(2)}M parameters), ` +
        `vocab ${config.vocabSize}, batch ${o.batchSize} × ${o.maxSeqLength}, ${source.describe}, backend ${backend}` +
        `${resumed ? `, resuming at step ${startStep} from ${resumed.dir}` : ''}\n`,
    );

    let position: Position | undefined = start;
    const src = source.batches(start);
    async function* tracked(): AsyncGenerator<PretrainingBatch> {
      for await (const { batch, position: p } of src) {
        position = p; // where the next batch starts: what a checkpoint after this batch must store
        yield batch;
      }
    }
    const metricsPath = join(o.out, 'metrics.jsonl');
    const chartPath = join(o.out, 'loss.html');
    const svgPath = join(o.out, 'loss.svg');
    const metrics = new MetricsWriter(metricsPath, resumed ? { resumeStep: startStep } : { append: false });
    const renderChart = (summary: string) => {
      const points = chartPointsFromJsonl(existsSync(metricsPath) ? readFileSync(metricsPath, 'utf8') : '');
      const title = `pre-training loss (${o.objective}, ${config.numHiddenLayers}×${config.hiddenSize})`;
      writeFileSync(svgPath, lossChartSvg(points, title));
      writeFileSync(chartPath, lossChartHtml(points, title, summary));
    };
    const bar = new ProgressBar({ total: o.steps, startCount: startStep, label: 'pretrain', stream: io.stderr });
    let firstMlmLoss: number | undefined;
    let lastMlmLoss: number | undefined;
    let last: StepEvent | undefined;
    const { params: vars, lossFn } = model.asTask();
    const result = await train({
      params: vars,
      lossFn,
      optimizer,
      schedule: linearWarmupDecay({ peakLr: o.lr, warmupSteps: Math.min(o.warmup, o.steps), totalSteps: o.steps }),
      steps: o.steps,
      startStep,
      dataPosition,
      data: tracked(),
      rng,
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
      onEvent: (e) => {
        if (e.type === 'step') {
          metrics.write(e);
          last = e;
          firstMlmLoss ??= e.mlmLoss;
          lastMlmLoss = e.mlmLoss;
          const tps = e.tokensPerSec !== undefined ? ` ${Math.round(e.tokensPerSec)} tok/s` : '';
          const mlm = e.mlmLoss !== undefined && e.nspLoss !== undefined ? ` (mlm ${e.mlmLoss.toFixed(3)} nsp ${e.nspLoss.toFixed(3)})` : '';
          if (o.progress !== false) bar.update(e.step, `loss ${e.loss.toFixed(3)}${mlm} lr ${e.lr.toExponential(2)}${tps}`);
          o.onStep?.(e);
        } else if (e.type === 'checkpoint') {
          renderChart(`checkpoint at step ${e.step}: ${e.path ?? ''}`);
        }
      },
    });
    if (o.progress !== false) bar.done();
    metrics.close();
    await savePretrainingModel(o.out, model);
    await saveTokenizer(o.tokenizer, o.out);
    const l = last as StepEvent | undefined;
    const summary = l
      ? `step ${l.step}/${o.steps}: loss ${l.loss.toFixed(4)}${l.mlmLoss !== undefined ? `, MLM loss ${l.mlmLoss.toFixed(4)}, MLM accuracy ${(l.mlmAccuracy ?? 0).toFixed(4)}` : ''}${l.nspLoss !== undefined ? `, NSP loss ${l.nspLoss.toFixed(4)}, NSP accuracy ${(l.nspAccuracy ?? 0).toFixed(4)}` : ''}`
      : `no step run (already at step ${startStep})`;
    renderChart(summary);
    const out: PretrainRunResult = {
      model: o.keepModel ? model : null,
      config,
      backend,
      startStep,
      step: result.step,
      losses: result.losses,
      firstMlmLoss,
      lastMlmLoss,
      elapsedSec: l?.elapsedSec ?? 0,
      metricsPath,
      chartPath,
      svgPath,
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
