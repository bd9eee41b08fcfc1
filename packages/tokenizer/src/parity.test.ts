// Golden parity with HF tokenizers (Rust) on ../shared/fixtures/tokenizer: every line of every case must match
// exactly (ids, tokens, type ids, offsets, masks, word ids, sequence ids, every overflow window).
import { readFileSync } from 'node:fs';
import { fixturePath, fixturesMissing, readManifest } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import { BertTokenizer } from './bert-tokenizer.js';
import type { Encoding } from './encoding.js';

interface Case {
  name: string;
  vocab: string;
  lowercase: boolean;
  file: string;
  count: number;
  kind?: 'truncation';
  options?: { addSpecialTokens?: boolean };
}
interface Golden {
  ids: number[];
  tokens: string[];
  typeIds: number[];
  offsets: [number, number][];
  sequenceIds: (number | null)[];
  specialTokensMask: number[];
  attentionMask: number[];
  wordIds: (number | null)[];
}
interface Line extends Partial<Golden> {
  text: string;
  pair: string | null;
  options?: { maxLength: number; stride: number; truncation: 'only_second' | 'longest_first' | 'only_first' };
  encodings?: Golden[];
}

const SUB = 'tokenizer';
const missing = fixturesMissing(SUB);
const manifest = readManifest<{ cases: Case[] }>(SUB);

function view(e: Encoding | Golden): Golden {
  return {
    ids: e.ids,
    tokens: e.tokens,
    typeIds: e.typeIds,
    offsets: e.offsets,
    sequenceIds: e.sequenceIds,
    specialTokensMask: e.specialTokensMask,
    attentionMask: e.attentionMask,
    wordIds: e.wordIds,
  };
}

const tokenizers = new Map<string, BertTokenizer>();
function tokenizerFor(c: Case): BertTokenizer {
  const key = `${c.vocab}|${c.lowercase}`;
  let tok = tokenizers.get(key);
  if (tok === undefined) {
    tok = BertTokenizer.fromVocab(readFileSync(fixturePath(SUB, c.vocab), 'utf8'), { lowercase: c.lowercase });
    tokenizers.set(key, tok);
  }
  return tok;
}

describe.skipIf(missing !== null)(`HF tokenizers parity ${missing ?? ''}`, () => {
  if (manifest === null) it.skip(`no manifest: ${missing ?? ''}`, () => {});
  for (const c of manifest?.cases ?? []) {
    it(c.name, () => {
      const tok = tokenizerFor(c);
      const lines = readFileSync(fixturePath(SUB, c.file), 'utf8').split('\n').filter((l) => l.length > 0);
      expect(lines.length).toBe(c.count);
      let matched = 0;
      const failures: string[] = [];
      for (const [n, raw] of lines.entries()) {
        const line = JSON.parse(raw) as Line;
        let got: Golden[];
        let want: Golden[];
        if (c.kind === 'truncation') {
          const o = line.options!;
          const e = tok.encode(line.text, line.pair, {
            maxLength: o.maxLength,
            stride: o.stride,
            truncation: o.truncation,
            returnOverflowing: true,
          });
          got = [e, ...e.overflowing].map(view);
          want = line.encodings!.map(view);
        } else {
          got = [view(tok.encode(line.text, line.pair, { addSpecialTokens: c.options?.addSpecialTokens ?? true }))];
          want = [view(line as Golden)];
        }
        if (JSON.stringify(got) === JSON.stringify(want)) matched++;
        else if (failures.length < 5) failures.push(`line ${n + 1}: ${JSON.stringify(line.text).slice(0, 120)}`);
      }
      // Show the first mismatch field by field before the summary.
      if (failures.length > 0) {
        const n = Number(failures[0].split(':')[0].slice(5)) - 1;
        const line = JSON.parse(lines[n]) as Line;
        if (c.kind !== 'truncation') {
          expect(view(tok.encode(line.text, line.pair))).toEqual(view(line as Golden));
        }
      }
      expect({ matched, failures }).toEqual({ matched: lines.length, failures: [] });
    });
  }
});
