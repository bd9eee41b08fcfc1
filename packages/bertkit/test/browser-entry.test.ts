// The browser entry ('bertkit') must not reach Node-only code: its import graph holds no `node:` module, no
// `@bertkit/*/node` entry and not @bertkit/hub. And its pipeline() builds a model from files held in memory.
import '@tensorflow/tfjs-backend-cpu';
import { fixturePath, fixturesMissing } from '@bertkit/test-utils';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pipeline, readSafetensors, type LabelScore } from '../src/index';
import { oddVocab } from './odd-models';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every bare module specifier reached from `file` through relative imports. */
function bareImports(file: string, seen = new Set<string>(), out = new Set<string>()): Set<string> {
  if (seen.has(file)) return out;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) {
    const spec = m[1];
    if (spec.startsWith('.')) bareImports(resolve(dirname(file), spec.endsWith('.ts') ? spec : `${spec}.ts`), seen, out);
    else out.add(spec);
  }
  return out;
}

describe('browser entry', () => {
  it('imports only browser-safe modules', () => {
    const specs = [...bareImports(join(src, 'index.ts'))].sort();
    expect(specs).toContain('@bertkit/heads');
    expect(specs.filter((s) => s.startsWith('node:') || s.endsWith('/node') || s === '@bertkit/hub')).toEqual([]);
    // while the Node entry does reach them
    expect([...bareImports(join(src, 'node.ts'))]).toEqual(expect.arrayContaining(['@bertkit/hub', '@bertkit/heads/node']));
  });

  it.skipIf(fixturesMissing('encoder') !== null)('pipeline() from files in memory (config.json, weights, vocab.txt)', async () => {
    const dir = fixturePath('encoder', 'models/odd/seqcls');
    const files = {
      source: 'odd-seqcls',
      configJson: readFileSync(join(dir, 'config.json'), 'utf8'),
      tensors: readSafetensors(readFileSync(join(dir, 'model.safetensors'))).tensors,
      vocabTxt: oddVocab().join('\n') + '\n',
    };
    const tc = await pipeline('text-classification', files, { backend: 'cpu', top_k: null });
    const out = (await tc('w5 w6 w7')) as LabelScore[];
    expect(out.map((x) => x.label).sort()).toEqual(['LABEL_0', 'LABEL_1', 'LABEL_2']);
    expect(out.reduce((s, x) => s + x.score, 0)).toBeCloseTo(1, 6);
    tc.dispose();
  });
});
