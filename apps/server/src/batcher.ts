// Dynamic batching (as HF text-embeddings-inference's queue): concurrent requests for the same model and
// operation wait up to `maxWaitMs` to be run together, up to `maxBatchSize` rows / `maxBatchTokens` padded tokens;
// jobs of similar length are grouped to cut padding. A lone request under sequential traffic runs at once. The queue is bounded (429 + Retry-After when full), every job
// has a deadline (503 `timeout`), and the loop yields to the event loop (setImmediate) before each batch so that
// /healthz and new requests are served between forward passes.
import { ApiError } from './errors.js';
import type { Metrics } from './metrics.js';

export interface Job<I, O> {
  /** Jobs with equal keys can share a forward pass (same model, operation and forward options). */
  key: string;
  items: I[];
  /** Rows the job adds to a batch (items × choices). */
  rows: number;
  /** Longest row in tokens. */
  length: number;
  /** Runs several jobs' items at once; returns one output per item, in order. */
  exec: (items: I[]) => Promise<O[]>;
}

interface Queued {
  job: Job<unknown, unknown>;
  enqueued: number;
  settle: (err: Error | null, out?: unknown[]) => void;
}

export interface BatcherOptions {
  batching: boolean;
  maxBatchSize: number;
  maxBatchTokens: number;
  maxWaitMs: number;
  maxQueue: number;
  requestTimeoutMs: number;
}

export class Batcher {
  private readonly queue: Queued[] = [];
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private closing = false;
  private inFlight = 0;
  private drained: (() => void)[] = [];
  /** Requests merged into the last batch: 1 means traffic is sequential, so a lone request need not wait. */
  private lastBatchJobs = 1;

  constructor(
    private readonly o: BatcherOptions,
    private readonly metrics: Metrics,
  ) {}

  get depth(): number {
    return this.queue.length;
  }

  submit<I, O>(job: Job<I, O>): Promise<O[]> {
    if (this.closing) return Promise.reject(new ApiError(503, 'shutting_down', 'the server is shutting down'));
    if (this.queue.length >= this.o.maxQueue) {
      this.metrics.inc('bert_queue_rejections_total', {});
      return Promise.reject(new ApiError(429, 'queue_full', `the inference queue is full (${this.o.maxQueue} requests); retry later`, null, { 'retry-after': '1' }));
    }
    return new Promise<O[]>((resolve, reject) => {
      let done = false;
      const timeout = setTimeout(() => {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        entry.settle(new ApiError(503, 'timeout', `the request was not answered within ${this.o.requestTimeoutMs} ms`));
      }, this.o.requestTimeoutMs);
      const entry: Queued = {
        job: job as Job<unknown, unknown>,
        enqueued: Date.now(),
        settle: (err, out) => {
          if (done) return;
          done = true;
          clearTimeout(timeout);
          this.inFlight--;
          if (err) reject(err);
          else resolve(out as O[]);
          this.checkDrained();
        },
      };
      this.inFlight++;
      this.queue.push(entry);
      this.metrics.set('bert_queue_depth', {}, this.queue.length);
      this.schedule();
    });
  }

  /** Refuses new jobs and resolves once every accepted one has been answered. */
  drain(): Promise<void> {
    this.closing = true;
    return new Promise((resolve) => {
      this.drained.push(resolve);
      this.checkDrained();
    });
  }

  private checkDrained(): void {
    if (this.inFlight > 0) return;
    for (const d of this.drained.splice(0)) d();
  }

  private pendingFor(key: string): { rows: number; tokens: number } {
    let rows = 0;
    let len = 0;
    for (const q of this.queue) {
      if (q.job.key !== key) continue;
      rows += q.job.rows;
      len = Math.max(len, q.job.length);
    }
    return { rows, tokens: rows * len };
  }

  /** How long the oldest job should still wait for others (<= 0: run now). */
  private waitFor(): number {
    const oldest = this.queue[0];
    const p = this.pendingFor(oldest.job.key);
    const full = p.rows >= this.o.maxBatchSize || p.tokens >= this.o.maxBatchTokens;
    // Wait for company only when traffic is concurrent (several queued, or the last batch merged several):
    // a lone sequential client then pays no maxWaitMs, so batching does not hurt latency at concurrency 1.
    const concurrent = this.queue.length > 1 || this.lastBatchJobs > 1;
    return this.o.batching && !full && concurrent ? oldest.enqueued + this.o.maxWaitMs - Date.now() : 0;
  }

  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    const wait = this.waitFor();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (wait > 0) this.timer = setTimeout(() => this.runNext(), wait);
    else {
      this.running = true; // reserved until the next turn of the event loop, where requests that came meanwhile count
      setImmediate(() => {
        this.running = false;
        if (this.queue.length > 0 && this.waitFor() > 0) this.schedule();
        else void this.runNext();
      });
    }
  }

  /** The oldest job plus same-key jobs closest to it in length, within the batch limits. */
  private pick(): Queued[] {
    const first = this.queue[0];
    if (!this.o.batching) return [first];
    const others = this.queue
      .filter((q) => q !== first && q.job.key === first.job.key)
      .sort((a, b) => Math.abs(a.job.length - first.job.length) - Math.abs(b.job.length - first.job.length));
    const picked = [first];
    let rows = first.job.rows;
    let len = first.job.length;
    for (const q of others) {
      const r = rows + q.job.rows;
      const l = Math.max(len, q.job.length);
      if (r > this.o.maxBatchSize || r * l > this.o.maxBatchTokens) continue;
      picked.push(q);
      rows = r;
      len = l;
    }
    return picked;
  }

  private async runNext(): Promise<void> {
    this.timer = null;
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch = this.pick();
    this.lastBatchJobs = batch.length;
    for (const q of batch) this.queue.splice(this.queue.indexOf(q), 1);
    this.metrics.set('bert_queue_depth', {}, this.queue.length);
    const items = batch.flatMap((q) => q.job.items);
    const rows = batch.reduce((a, q) => a + q.job.rows, 0);
    this.metrics.observe('bert_batch_size', {}, rows);
    this.metrics.observe('bert_batch_requests', {}, batch.length);
    try {
      const out = await batch[0].job.exec(items);
      let at = 0;
      for (const q of batch) {
        q.settle(null, out.slice(at, at + q.job.items.length));
        at += q.job.items.length;
      }
    } catch (e) {
      for (const q of batch) q.settle(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.running = false;
      setImmediate(() => this.schedule());
    }
  }
}
