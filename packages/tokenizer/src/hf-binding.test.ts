// Randomised parity against HF tokenizers itself (the Rust binding, a dev dependency): random Unicode text,
// random truncation / stride / padding settings. Skipped when the native binding cannot be loaded.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BertTokenizer } from './bert-tokenizer.js';
import type { Encoding } from './encoding.js';

interface HfEncoding {
  getIds(): number[];
  getTypeIds(): number[];
  getOffsets(): number[][];
  getWordIds(): (number | null | undefined)[];
  getSpecialTokensMask(): number[];
  getAttentionMask(): number[];
  getOverflowing(): HfEncoding[];
}
interface HfTokenizer {
  decode(ids: number[], skipSpecialTokens: boolean): Promise<string>;
  encode(a: string, b?: string | null): Promise<HfEncoding>;
  encodeBatch(inputs: string[]): Promise<HfEncoding[]>;
  setTruncation(maxLength: number, o: { strategy: string; stride: number; direction: string }): void;
  setPadding(o: { maxLength?: number; direction: string; padToMultipleOf?: number; padId: number; padToken: string }): void;
  disablePadding(): void;
}
function loadHf(): { Tokenizer: { fromString(s: string): HfTokenizer } } | null {
  try {
    return createRequire(import.meta.url)('@anush008/tokenizers');
  } catch {
    return null;
  }
}
const hf = loadHf();

/** HF reports code point offsets; the fixtures and bertkit use UTF-16 code units. */
function toUtf16(text: string): (cp: number) => number {
  const map: number[] = [0];
  let u = 0;
  for (const ch of text) {
    u += ch.length;
    map.push(u);
  }
  return (cp) => map[cp] ?? u;
}

function fromHf(e: HfEncoding, a: string, b: string | null): unknown {
  const ta = toUtf16(a);
  const tb = b === null ? ta : toUtf16(b);
  const types = e.getTypeIds();
  const specials = e.getSpecialTokensMask();
  return {
    ids: e.getIds(),
    typeIds: types,
    offsets: e.getOffsets().map(([s, t], k) => {
      if (specials[k] === 1) return [s, t];
      const conv = types[k] === 1 && b !== null ? tb : ta;
      return [conv(s), conv(t)];
    }),
    wordIds: e.getWordIds().map((w) => (w === undefined ? null : w)),
    specialTokensMask: specials,
    attentionMask: e.getAttentionMask(),
  };
}
function mine(e: Encoding): unknown {
  return {
    ids: e.ids,
    typeIds: e.typeIds,
    offsets: e.offsets,
    wordIds: e.wordIds,
    specialTokensMask: e.specialTokensMask,
    attentionMask: e.attentionMask,
  };
}

const uncasedDir = 'models/bert-base-uncased-tokenizer';
const WORDS = ['the', 'quick', 'brown', 'fox', 'jumped', 'over', 'lazy', 'dog', 'unbelievable', 'café', '中文', '!', ',', '[MASK]'];

const skipReason = hf === null ? 'the @anush008/tokenizers native binding cannot be loaded' : sharedMissing(uncasedDir);

describe.skipIf(skipReason !== null)(`randomised parity with HF tokenizers (Rust) ${skipReason ?? ''}`, () => {
  const vocab = skipReason === null ? readFileSync(sharedPath(`${uncasedDir}/vocab.txt`), 'utf8') : '';

  for (const lowercase of [true, false]) {
    it(`random Unicode strings (lowercase ${lowercase})`, async () => {
      const tok = BertTokenizer.fromVocab(vocab, { lowercase });
      const rust = hf!.Tokenizer.fromString(tok.toJSON());
      const alphabet = fc.oneof(
        fc.constantFrom('a', 'B', ' ', 'é', 'E\u0301', '\u0130', 'Σ', '中', '😀', '\u200d', '\u0000', '\t', '-', '[MASK]', '##', 'ﬁ', '\ud800', '한'),
        fc.string({ unit: 'grapheme', maxLength: 2 }),
        fc.string({ unit: 'binary', maxLength: 2 }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(alphabet, { maxLength: 24 }).map((p) => p.join('')), async (text) => {
          const theirs = await rust.encode(text);
          expect(mine(tok.encode(text))).toEqual(fromHf(theirs, text, null));
        }),
        { seed: 42, numRuns: 400 },
      );
    });
  }

  it('random truncation strategies, strides, sides and padding, every overflow window', async () => {
    const tok = BertTokenizer.fromVocab(vocab, { lowercase: true });
    const sentence = fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 30 }).map((w) => w.join(' '));
    const config = fc.record({
      a: sentence,
      b: fc.option(sentence, { nil: null }),
      maxLength: fc.integer({ min: 5, max: 24 }),
      strideFrac: fc.double({ min: 0, max: 0.99, noNaN: true }),
      strategy: fc.constantFrom('longest_first', 'only_first', 'only_second'),
      side: fc.constantFrom('right', 'left'),
      padding: fc.constantFrom('none', 'longest', 'max_length'),
      multiple: fc.constantFrom(undefined, 4, 7),
      padSide: fc.constantFrom('right', 'left'),
    });
    const rust = hf!.Tokenizer.fromString(tok.toJSON());
    const names: Record<string, string> = { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' };
    await fc.assert(
      fc.asyncProperty(config, async (c) => {
        const pair = c.b !== null;
        // HF asserts stride < the per-sequence budget; keep the stride inside what each strategy leaves.
        const budget = c.maxLength - (pair ? 3 : 2);
        const perSeq = pair && c.strategy === 'longest_first' ? Math.floor(budget / 2) : budget;
        const stride = Math.floor(c.strideFrac * Math.max(0, Math.min(perSeq, 4)));
        if (c.strategy === 'longest_first' && pair && stride >= Math.floor(budget / 2)) return;
        rust.setTruncation(c.maxLength, { strategy: names[c.strategy], stride, direction: c.side });
        if (c.padding === 'none') rust.disablePadding();
        else {
          rust.setPadding({
            ...(c.padding === 'max_length' ? { maxLength: c.maxLength } : {}),
            direction: c.padSide,
            ...(c.multiple !== undefined ? { padToMultipleOf: c.multiple } : {}),
            padId: 0,
            padToken: '[PAD]',
          });
        }
        const options = {
          truncation: c.strategy as 'longest_first',
          maxLength: c.maxLength,
          stride,
          truncationSide: c.side as 'left',
          returnOverflowing: true,
          padding: c.padding === 'none' ? false : (c.padding as 'longest'),
          padToMultipleOf: c.multiple,
          paddingSide: c.padSide as 'left',
        };
        let theirs: HfEncoding | null = null;
        try {
          theirs = await rust.encode(c.a, c.b);
        } catch {
          theirs = null;
        }
        if (theirs === null) {
          expect(() => tok.encode(c.a, c.b, options)).toThrow();
          return;
        }
        const e = tok.encode(c.a, c.b, options);
        const got = [e, ...e.overflowing].map(mine);
        const want = [theirs, ...theirs.getOverflowing()].map((o) => fromHf(o, c.a, c.b));
        expect(got).toEqual(want);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('encodeBatch padding to the longest matches HF encode_batch', async () => {
    const tok = BertTokenizer.fromVocab(vocab, { lowercase: true });
    const rust = hf!.Tokenizer.fromString(tok.toJSON());
    rust.setPadding({ direction: 'right', padToMultipleOf: 8, padId: 0, padToken: '[PAD]' });
    // (The binding's encodeBatch takes single strings only.)
    const inputs: string[] = ['the dog', 'quick brown fox jumped over the lazy dog!', 'café 中文'];
    const theirs = await rust.encodeBatch(inputs);
    const ours = tok.encodeBatch(inputs, { padding: true, padToMultipleOf: 8 });
    expect(ours.map(mine)).toEqual(theirs.map((t, k) => fromHf(t, inputs[k], null)));
    expect(ours[0].ids.length).toBe(16);
  });

  it('decode matches HF (its WordPiece decoder cleans each token; no apostrophes here, see decoder.test.ts)', async () => {
    const tok = BertTokenizer.fromVocab(vocab, { lowercase: true });
    const rust = hf!.Tokenizer.fromString(tok.toJSON());
    const words = fc.constantFrom('the', 'Unbelievable', 'fox', '.', ',', '!', '?', '[MASK]', 'café', '中文', '😀', '##', 'jumped');
    await fc.assert(
      fc.asyncProperty(fc.array(words, { maxLength: 12 }), fc.boolean(), async (ws, skip) => {
        const ids = tok.encode(ws.join(' ')).ids;
        expect(tok.decode(ids, { skipSpecialTokens: skip })).toBe(await rust.decode(ids, skip));
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('random normaliser options (clean_text, handle_chinese_chars, strip_accents, lowercase) on random text', async () => {
    const alphabet = fc.oneof(
      fc.constantFrom('a', 'B', ' ', '\t', '\u00a0', 'é', 'E\u0301', '\u0130', 'ΣΣ', '中', '\u3000', '😀', '\u200d', '\u0000', '\u0007', '-', '[SEP]', '\ud800', '한', '\ufffd', '\u2028', '\u0085'),
      fc.string({ unit: 'binary', maxLength: 2 }),
    );
    const cache = new Map<string, [BertTokenizer, HfTokenizer]>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({ cleanText: fc.boolean(), handleChineseChars: fc.boolean(), stripAccents: fc.boolean(), lowercase: fc.boolean() }),
        fc.array(alphabet, { maxLength: 16 }).map((p) => p.join('')),
        async (opts, text) => {
          const key = JSON.stringify(opts);
          let pair = cache.get(key);
          if (pair === undefined) {
            const tok = BertTokenizer.fromVocab(vocab, opts);
            pair = [tok, hf!.Tokenizer.fromString(tok.toJSON())];
            cache.set(key, pair);
          }
          const [tok, rust] = pair;
          expect(mine(tok.encode(text))).toEqual(fromHf(await rust.encode(text), text, null));
        },
      ),
      { seed: 13, numRuns: 500 },
    );
  });

  it('runs of combining marks, reordered across code points by NFD, as HF (canonical-order.ts)', async () => {
    // Marks strip_accents keeps (U+302E, U+1D165, U+1D16D, U+08D4, U+1E000) among removed marks of many classes,
    // characters decomposing into marks (é, U+0F73, U+0344, U+1D15F), a Mn starter (U+0E31), a mark HF's Unicode 9
    // tables see as a starter (U+1AC0), one HF does not decompose (U+11938), and characters clean_text removes.
    const alphabet = fc.constantFrom(
      '\u0301', '\u0316', '\u0334', '\u0e48', '\u05b0', '\u0345', '\u0f73', '\u0344', '\u0e31', '\u302e', '\u302f',
      '\u{1d165}', '\u{1d16d}', '\u{1d15f}', '\u{1e000}', '\u08d4', '\u1ac0', '\u{11938}', '\u200d', '\u0000', '\ue000',
      ' ', '中', 'e', 'é', 'A', '!', '[MASK]', '\ud800',
    );
    const cache = new Map<string, [BertTokenizer, HfTokenizer]>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({ cleanText: fc.boolean(), stripAccents: fc.boolean(), lowercase: fc.boolean() }),
        fc.array(alphabet, { maxLength: 12 }).map((p) => p.join('')),
        fc.option(fc.array(alphabet, { maxLength: 6 }).map((p) => p.join('')), { nil: null }),
        async (opts, a, b) => {
          const key = JSON.stringify(opts);
          let pair = cache.get(key);
          if (pair === undefined) {
            const tok = BertTokenizer.fromVocab(vocab, opts);
            pair = [tok, hf!.Tokenizer.fromString(tok.toJSON())];
            cache.set(key, pair);
          }
          const [tok, rust] = pair;
          expect(mine(tok.encode(a, b))).toEqual(fromHf(await rust.encode(a, b), a, b));
        },
      ),
      { seed: 23, numRuns: 1500 },
    );
  });

  it('added tokens with lstrip / rstrip / single_word match as in HF', async () => {
    const base = JSON.parse(BertTokenizer.fromVocab(vocab, { lowercase: true }).toJSON()) as {
      added_tokens: Record<string, unknown>[];
    };
    base.added_tokens[4] = { ...base.added_tokens[4], lstrip: true, rstrip: true }; // [MASK]
    base.added_tokens.push({ id: 30522, content: 'xx', single_word: true, lstrip: false, rstrip: false, normalized: false, special: false });
    base.added_tokens.push({ id: 30523, content: '<y>', single_word: false, lstrip: false, rstrip: true, normalized: false, special: true });
    const json = JSON.stringify(base);
    const tok = BertTokenizer.fromJSON(json);
    const rust = hf!.Tokenizer.fromString(json);
    const text = fc
      .array(fc.constantFrom('xx', ' ', '  ', 'a', '[MASK]', '\t', 'é', '_', '1', '<y>', '\u3000', '.', '中'), { maxLength: 12 })
      .map((p) => p.join(''));
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        expect(mine(tok.encode(t))).toEqual(fromHf(await rust.encode(t), t, null));
      }),
      { seed: 17, numRuns: 400 },
    );
    expect(tok.encode('a xx b axx').tokens).toEqual(['[CLS]', 'a', 'xx', 'b', 'ax', '##x', '[SEP]']);
  });

  it('normalized added tokens match on the normalised text as in HF', async () => {
    const base = JSON.parse(BertTokenizer.fromVocab(vocab, { lowercase: true }).toJSON()) as {
      added_tokens: Record<string, unknown>[];
    };
    const add = (id: number, content: string, extra: Record<string, boolean> = {}): void => {
      base.added_tokens.push({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: false, ...extra });
    };
    add(30522, 'Hello World');
    add(30523, '中文');
    add(30524, 'Zz', { single_word: true });
    add(30525, 'café', { lstrip: true });
    const json = JSON.stringify(base);
    const tok = BertTokenizer.fromJSON(json);
    const rust = hf!.Tokenizer.fromString(json);
    const text = fc
      .array(fc.constantFrom('HELLO', 'hello', ' ', 'World', 'Wörld', 'Héllo', '中', '文', 'zz', 'ZZ', 'a', 'CAFE\u0301', 'café', '\u0000', '[MASK]', '!', '\ud800'), { maxLength: 10 })
      .map((p) => p.join(''));
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        expect(mine(tok.encode(t))).toEqual(fromHf(await rust.encode(t), t, null));
      }),
      { seed: 19, numRuns: 400 },
    );
    const e = tok.encode('Héllo World! 中文');
    expect(e.tokens).toEqual(['[CLS]', 'Hello World', '!', '中文', '[SEP]']);
    expect(e.offsets).toEqual([[0, 0], [0, 11], [11, 12], [13, 15], [0, 0]]);
  });

  it('reads a BertProcessing post-processor and a tokenizer without one as HF does', async () => {
    const base = JSON.parse(BertTokenizer.fromVocab(vocab, { lowercase: true }).toJSON()) as Record<string, unknown>;
    const withBert = JSON.stringify({ ...base, post_processor: { type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] } });
    const without = JSON.stringify({ ...base, post_processor: null });
    for (const json of [withBert, without]) {
      const tok = BertTokenizer.fromJSON(json);
      const rust = hf!.Tokenizer.fromString(json);
      for (const [a, b] of [['Hello there!', null], ['a question?', 'the context, longer.']] as const) {
        expect(mine(tok.encode(a, b))).toEqual(fromHf(await rust.encode(a, b), a, b));
      }
    }
  });

  // Pins unicode-tables.ts (and the engine's Unicode data) to HF: every BMP code point and every 97th astral one,
  // inside a word and alone, and between combining marks (ids and offsets: clean_text removals, starters and
  // non-starters decide how NFD sorts the run), for the uncased and cased pipelines.
  for (const lowercase of [true, false]) {
    it(`every BMP code point (and a sample of astral ones) as HF, lowercase ${lowercase}`, async () => {
      const tok = BertTokenizer.fromVocab(vocab, { lowercase });
      const rust = hf!.Tokenizer.fromString(tok.toJSON()) as HfTokenizer;
      const mismatches: string[] = [];
      const step = 4096;
      for (let start = 0; start < 0x110000; start += step) {
        const texts: string[] = [];
        for (let cp = start; cp < Math.min(start + step, 0x110000); cp++) {
          if ((cp >= 0xd800 && cp <= 0xdfff) || (cp > 0xffff && cp % 97 !== 0)) continue;
          const c = String.fromCodePoint(cp);
          texts.push(`ab${c}cd ${c}`, `\u0301${c}\u0334\u302e`);
        }
        const theirs = await rust.encodeBatch(texts);
        texts.forEach((t, k) => {
          const e = tok.encode(t);
          const [a, b] = k % 2 === 0 ? [e.ids, theirs[k].getIds()] : [mine(e), fromHf(theirs[k], t, null)];
          const same = JSON.stringify(a) === JSON.stringify(b);
          if (!same) mismatches.push(`${(t.codePointAt(k % 2 === 0 ? 2 : 1) as number).toString(16)}${k % 2 === 0 ? '' : ' between marks'}`);
        });
      }
      expect(mismatches.slice(0, 20)).toEqual([]);
    });
  }
});
