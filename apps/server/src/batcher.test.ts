import { describe, expect, it } from 'vitest';
import { Batcher, type BatcherOptions, type Job } from './batcher.js';
import { ApiError } from './errors.js';
import { Metrics } from './metrics.js';

const base: BatcherOptions = { batching: true, maxBatchSize: 8, maxBatchTokens: 1000, maxWaitMs: 20, maxQueue: 100, requestTimeoutMs: 5000 };

/** A job of `n` items of `len` tokens whose exec records the batches it ran. */
function job(key: string, len: number, n: number, runs: number[][]): Job<number, number> {
  return { key, items: Array.from({ length: n }, () => len), rows: n, length: len, exec: async (items) => (runs.push(items), items.map((x) => x * 10)) };
}

describe('Batcher', () => {
  it('groups concurrent jobs of one key into one batch and splits outputs back per job', async () => {
    const runs: number[][] = [];
    const b = new Batcher(base, new Metrics());
    const out = await Promise.all([b.submit(job('k', 3, 2, runs)), b.submit(job('k', 4, 1, runs)), b.submit(job('k', 5, 3, runs))]);
    expect(out).toEqual([[30, 30], [40], [50, 50, 50]]);
    expect(runs).toEqual([[3, 3, 4, 5, 5, 5]]);
  });

  it('never mixes keys, and respects maxBatchSize rows', async () => {
    const runs: number[][] = [];
    const b = new Batcher({ ...base, maxBatchSize: 3 }, new Metrics());
    await Promise.all([b.submit(job('a', 1, 2, runs)), b.submit(job('b', 2, 1, runs)), b.submit(job('a', 3, 2, runs)), b.submit(job('a', 4, 1, runs))]);
    expect(runs).toEqual([[1, 1, 4], [2], [3, 3]]);
  });

  it('picks the jobs closest in length to the oldest one under maxBatchTokens', async () => {
    const runs: number[][] = [];
    const b = new Batcher({ ...base, maxBatchTokens: 300 }, new Metrics());
    // oldest 100 tokens: 100 + 90 fit (2 rows × 100 = 200), 10 would make 3 × 100 = 300 (fits), 200 would not
    await Promise.all([b.submit(job('k', 100, 1, runs)), b.submit(job('k', 200, 1, runs)), b.submit(job('k', 10, 1, runs)), b.submit(job('k', 90, 1, runs))]);
    expect(runs[0]).toEqual([100, 90, 10]);
    expect(runs[1]).toEqual([200]);
  });

  it('without batching, runs every job alone', async () => {
    const runs: number[][] = [];
    const b = new Batcher({ ...base, batching: false }, new Metrics());
    await Promise.all([b.submit(job('k', 1, 1, runs)), b.submit(job('k', 2, 1, runs))]);
    expect(runs).toEqual([[1], [2]]);
  });

  it('a full queue refuses with 429 queue_full and Retry-After', async () => {
    const b = new Batcher({ ...base, maxQueue: 1, maxWaitMs: 30 }, new Metrics());
    const first = b.submit(job('k', 1, 1, []));
    await expect(b.submit(job('k', 1, 1, []))).rejects.toMatchObject({ status: 429, code: 'queue_full', headers: { 'retry-after': '1' } });
    await expect(first).resolves.toEqual([10]);
  });

  it('a job still queued at its deadline fails with 503 timeout and leaves the queue', async () => {
    const b = new Batcher({ ...base, maxWaitMs: 200, requestTimeoutMs: 10 }, new Metrics());
    // two queued jobs: concurrent traffic, so the oldest waits (up to 200 ms) for its batch to fill
    const [err] = await Promise.all([b.submit(job('k', 1, 1, [])).catch((e: unknown) => e), b.submit(job('j', 1, 1, [])).catch((e: unknown) => e)]);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, code: 'timeout' });
    expect(b.depth).toBe(0);
  });

  it('an exec failure rejects every job of the batch; drain waits for in-flight jobs and refuses new ones', async () => {
    const b = new Batcher(base, new Metrics());
    const bad: Job<number, number> = { key: 'k', items: [1], rows: 1, length: 1, exec: async () => Promise.reject(new Error('boom')) };
    await expect(b.submit(bad)).rejects.toThrow('boom');
    const pending = b.submit(job('k', 2, 1, []));
    const drained = b.drain();
    await expect(b.submit(job('k', 1, 1, []))).rejects.toMatchObject({ status: 503, code: 'shutting_down' });
    await expect(pending).resolves.toEqual([20]);
    await drained;
  });
});

describe('Batcher waiting', () => {
  it('a lone request under sequential traffic does not wait maxWaitMs; concurrent traffic waits to fill a batch', async () => {
    const runs: number[][] = [];
    const b = new Batcher({ ...base, maxWaitMs: 10_000, requestTimeoutMs: 60_000 }, new Metrics());
    // would take 10 s if the lone job waited for company
    await expect(b.submit(job('k', 1, 1, runs))).resolves.toEqual([10]);
    await expect(b.submit(job('k', 2, 1, runs))).resolves.toEqual([20]);
    expect(runs).toEqual([[1], [2]]);
  });
});
