// An ONNX Runtime engine for @bertkit/training's loop (a StepRunner): each micro-batch runs one session of a
// training graph (forward, loss, every gradient: pretraining-graph.ts, task-graph.ts), each update one session of
// the clipping + AdamW graph, on ORT's CPU kernels (MLAS GEMMs). Parameters and AdamW moments live here as
// Float32Arrays between steps; `sync()` writes them back into the model's tfjs variables and the AdamW state, so
// checkpoints, resumption and the saved model are the tfjs engine's. What a graph needs besides (its batch inputs)
// the caller supplies as `batchFeeds`.
import type { BertConfig } from '@bertkit/encoder';
import type { AdamW, AdamWState, LossContext, StepRunner, StepScalars } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { OrtEngineError } from '../errors.js';
import { ortSessionOptions } from '../ort-encoder.js';
import { buildAdamWGraph } from './adamw-graph.js';
import type { TrainGraph } from './train-graph.js';
import { loadOrt, type OrtFeeds, type OrtModule, type OrtSession } from './ort-types.js';
import { dropoutFeeds, readParams, type BatchDims } from './train-feeds.js';

export interface OrtTrainRunnerOptions<B> {
  graph: TrainGraph;
  config: BertConfig;
  /** The model's variables by HF name (tfjs layout); the graph's parameters must all be here. */
  params: ReadonlyMap<string, tf.Variable>;
  optimizer: AdamW;
  /** Global-norm clipping threshold; null disables. Default 1.0 (BERT's). */
  clipNorm?: number | null;
  /** ORT threads per operator (intraOpNumThreads). Default: ORT's choice (the physical cores). */
  threads?: number;
  /** A batch's data inputs (not the dropout masks or the parameters) and its [B, T]. */
  batchFeeds(ort: OrtModule, batch: B): { feeds: OrtFeeds; dims: BatchDims };
  /** Graph metric outputs to report, by the key the loop's step events use (others are not reported). */
  metricKeys: Readonly<Record<string, string>>;
  /** Named in errors: 'engine ort'. */
  caller: string;
}

interface Pending {
  losses: number[];
  metrics: Map<string, number[]>;
}

export class OrtTrainRunner<B> implements StepRunner<B> {
  private pending: Pending = { losses: [], metrics: new Map() };
  private readonly done: StepScalars[] = [];
  private grads: Map<string, Float32Array> | null = null;
  private micros = 0;
  private dirty = false;

  private constructor(
    private readonly ort: OrtModule,
    private readonly o: OrtTrainRunnerOptions<B>,
    private readonly gradSession: OrtSession,
    private readonly adamSession: OrtSession,
    private readonly shapes: Map<string, number[]>,
    private values: Map<string, Float32Array>,
    private m: Map<string, Float32Array>,
    private v: Map<string, Float32Array>,
    private step: number,
  ) {}

  /** Opens both sessions (the AdamW graph built from the optimizer's settings) and reads the parameters' values. */
  static async create<B>(o: OrtTrainRunnerOptions<B>): Promise<OrtTrainRunner<B>> {
    for (const name of o.graph.params) {
      if (!o.params.has(name)) throw new OrtEngineError(`${o.caller}: expected the parameter ${name} the graph reads, got none in the model`);
    }
    const sessionOptions = ortSessionOptions(o.threads === undefined ? {} : { threads: o.threads }, o.caller);
    const ort = await loadOrt();
    const shapes = new Map([...o.params].map(([n, p]) => [n, p.shape.slice()]));
    const clipNorm = o.clipNorm === undefined ? 1.0 : o.clipNorm;
    const decayed = new Set([...o.params.keys()].filter((n) => o.optimizer.decays(n)));
    const adam = buildAdamWGraph({ shapes, beta1: o.optimizer.beta1, beta2: o.optimizer.beta2, eps: o.optimizer.eps, decayed, clipNorm });
    const [gradSession, adamSession] = await Promise.all([
      ort.InferenceSession.create(o.graph.bytes, sessionOptions),
      ort.InferenceSession.create(adam, sessionOptions),
    ]);
    const values = await readParams(o.params);
    const { m, v, step } = momentsOf(await o.optimizer.getState(), shapes, o.caller);
    return new OrtTrainRunner(ort, o, gradSession, adamSession, shapes, values, m, v, step);
  }

  private get config(): BertConfig {
    return this.o.config;
  }

  async micro(batch: B, ctx: LossContext): Promise<void> {
    // in training the masks come from the run's Rng (as the tfjs forward draws them); otherwise ones
    const { graph, caller } = this.o;
    const dropout = ctx.training && graph.dropout.length > 0;
    if (dropout && !ctx.rng) throw new OrtEngineError(`${caller}: dropout is on, expected the run's rng in the loss context, got none`);
    const { feeds: data, dims } = this.o.batchFeeds(this.ort, batch);
    const feeds: OrtFeeds = { ...data, ...dropoutFeeds(this.ort, graph.dropout, this.config, dims, dropout ? ctx.rng! : null) };
    for (const name of graph.params) feeds[name] = new this.ort.Tensor('float32', this.values.get(name)!, this.shapes.get(name)!);
    const out = await this.gradSession.run(feeds);
    const scalar = (name: string) => (out[name].data as Float32Array)[0];
    this.pending.losses.push(scalar('loss'));
    for (const name of graph.metrics) {
      const key = this.o.metricKeys[name];
      if (key !== undefined) this.pending.metrics.set(key, [...(this.pending.metrics.get(key) ?? []), scalar(name)]);
    }
    if (this.grads === null) {
      this.grads = new Map(graph.params.map((n) => [n, out[`grad.${n}`].data as Float32Array]));
    } else {
      for (const [n, sum] of this.grads) {
        const g = out[`grad.${n}`].data as Float32Array;
        for (let i = 0; i < sum.length; i++) sum[i] += g[i];
      }
    }
    this.micros += 1;
  }

  discard(): void {
    this.grads = null;
    this.micros = 0;
    this.pending = { losses: [], metrics: new Map() };
  }

  async update(lr: number): Promise<void> {
    const caller = this.o.caller;
    if (this.grads === null) throw new OrtEngineError(`${caller}: update() before any micro-batch`);
    if (!(Number.isFinite(lr) && lr >= 0)) throw new OrtEngineError(`${caller}: expected a learning rate >= 0, got ${lr}`);
    const n = this.micros;
    const feeds: OrtFeeds = {};
    this.step += 1;
    const o = this.o.optimizer;
    const t = (x: number) => new this.ort.Tensor('float32', Float32Array.of(x), []);
    // torch computes these scalars in double precision, then the tensor ops in float32 (as AdamW.step)
    feeds.step_size = t(lr / (1 - o.beta1 ** this.step));
    feeds.bc2_sqrt = t(Math.sqrt(1 - o.beta2 ** this.step));
    feeds.decay_factor = t(1 - lr * o.weightDecay);
    for (const [name, g] of this.grads) {
      if (n > 1) for (let i = 0; i < g.length; i++) g[i] /= n; // the mean over the micro-batches
      const dims = this.shapes.get(name)!;
      feeds[`grad.${name}`] = new this.ort.Tensor('float32', g, dims);
      feeds[`param.${name}`] = new this.ort.Tensor('float32', this.values.get(name)!, dims);
      feeds[`m.${name}`] = new this.ort.Tensor('float32', this.m.get(name)!, dims);
      feeds[`v.${name}`] = new this.ort.Tensor('float32', this.v.get(name)!, dims);
    }
    const out = await this.adamSession.run(feeds);
    for (const name of this.grads.keys()) {
      this.values.set(name, out[`new_param.${name}`].data as Float32Array);
      this.m.set(name, out[`new_m.${name}`].data as Float32Array);
      this.v.set(name, out[`new_v.${name}`].data as Float32Array);
    }
    const p = this.pending;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    this.done.push({
      loss: mean(p.losses),
      metrics: Object.fromEntries([...p.metrics].map(([k, xs]) => [k, mean(xs)])),
      gradNorm: (out.grad_norm.data as Float32Array)[0],
    });
    this.grads = null;
    this.micros = 0;
    this.pending = { losses: [], metrics: new Map() };
    this.dirty = true;
  }

  async flush(): Promise<StepScalars[]> {
    return this.done.splice(0, this.done.length);
  }

  async sync(): Promise<void> {
    if (!this.dirty) return;
    for (const [name, variable] of this.o.params) {
      const data = this.values.get(name);
      if (data !== undefined) tf.tidy(() => variable.assign(tf.tensor(data, variable.shape, 'float32')));
    }
    const state: AdamWState = { params: {} };
    for (const [name, shape] of this.shapes) {
      state.params[name] = { step: this.step, m: { shape, data: this.m.get(name)! }, v: { shape, data: this.v.get(name)! } };
    }
    this.o.optimizer.setState(state);
    this.dirty = false;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.gradSession.release(), this.adamSession.release()]);
  }
}

/** AdamW's moments per parameter (zeros where it has none yet) and their common step count. */
function momentsOf(state: AdamWState, shapes: Map<string, number[]>, caller: string): { m: Map<string, Float32Array>; v: Map<string, Float32Array>; step: number } {
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  const steps = new Set<number>();
  for (const [name, shape] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    const s = state.params[name];
    steps.add(s?.step ?? 0);
    m.set(name, s ? Float32Array.from(s.m.data) : new Float32Array(size));
    v.set(name, s ? Float32Array.from(s.v.data) : new Float32Array(size));
  }
  if (steps.size > 1) {
    throw new OrtEngineError(`${caller}: expected one AdamW step count for every parameter, got ${[...steps].sort((a, b) => a - b).join(', ')}`);
  }
  return { m, v, step: steps.size === 0 ? 0 : [...steps][0] };
}
