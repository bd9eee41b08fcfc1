import { BackendError } from '@bertkit/backend';
import { describe, expect, it } from 'vitest';
import { guardedEngine, warmUp, type Engine, type EngineHealth } from './engine.js';
import type { ServedModel } from './model-registry.js';

const fail = (e: Error) => () => Promise.reject(e);
const fake = (over: Partial<Engine>): Engine => ({
  embed: async () => [[0]],
  fillMask: async () => [],
  logits: async () => [],
  hidden: async () => [],
  close: async () => undefined,
  ...over,
});
const model = (over: Partial<ServedModel> = {}) =>
  ({ name: 'm', mlm: null, task: null, tokenizer: { encode: () => ({ ids: [1, 2], typeIds: [0, 0] }), maskTokenId: 3 }, ...over }) as unknown as ServedModel;

describe('guardedEngine', () => {
  it('records a BackendError (the backend is broken) but not an input error, and passes both on', async () => {
    const health: EngineHealth = { backendError: null };
    const input = Object.assign(new Error('text: expected a [MASK]'), { name: 'TaskInputError' });
    await expect(guardedEngine(fake({ fillMask: fail(input) }), health).fillMask(model(), [])).rejects.toBe(input);
    expect(health.backendError).toBeNull();
    const lost = new BackendError('webgpu', 'device lost');
    await expect(guardedEngine(fake({ embed: fail(lost) }), health).embed(model(), {}, [])).rejects.toBe(lost);
    expect(health.backendError).toBe("backend 'webgpu': device lost");
  });
});

describe('warmUp', () => {
  it('runs every head of every model once and records the first failure, naming the model', async () => {
    const calls: string[] = [];
    const engine = fake({
      embed: async (m) => (calls.push(`embed ${m.name}`), [[0]]),
      fillMask: async (m, items) => (calls.push(`fill-mask ${m.name} ${JSON.stringify(items[0].masks)}`), [[]]),
      logits: async (m, items) => (calls.push(`logits ${m.name} ${items[0].length}`), []),
    });
    const health: EngineHealth = { backendError: null };
    const mc = model({ name: 'mc', task: { kind: 'multiple-choice' } as ServedModel['task'] });
    await warmUp(engine, [model({ name: 'mlm', mlm: {} as ServedModel['mlm'] }), mc], health);
    expect(calls).toEqual(['embed mlm', 'fill-mask mlm [2]', 'embed mc', 'logits mc 2']);
    expect(health.backendError).toBeNull();
    await warmUp(fake({ embed: fail(new Error('no kernel for Erf')) }), [model()], health);
    expect(health.backendError).toBe('warm-up of model m failed: no kernel for Erf');
  });
});
