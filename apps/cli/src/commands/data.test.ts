import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataMeta, readShardInstances } from '@bertkit/pretraining/node';
import { runCli } from '../cli.js';
import { capture, smallCorpus, tempDir } from '../test-io.js';
import { parseMaskRatios } from './pretrain-data.js';

describe('bert vocab', () => {
  it('trains a WordPiece vocabulary from a corpus file and saves a tokenizer directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'corpus.txt'), smallCorpus());
    const c = capture();
    expect(await runCli(['vocab', '--corpus', join(dir, 'corpus.txt'), '--vocab-size', '99', '--min-frequency', '1', '--out', join(dir, 'tok')], c.io)).toBe(0);
    const vocab = readFileSync(join(dir, 'tok', 'vocab.txt'), 'utf8').split('\n').filter(Boolean);
    expect(vocab.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect(vocab.length).toBeLessThanOrEqual(99);
    expect(vocab).toContain('the');
    expect(existsSync(join(dir, 'tok', 'tokenizer.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'tok', 'tokenizer_config.json'), 'utf8')).do_lower_case).toBe(true);
    expect(c.out()).toMatch(new RegExp(`^vocab: ${vocab.length} tokens \\(\\d+ ##-pieces, uncased\\) from ${smallCorpus().split(/\s+/).filter(Boolean).length} words`));
    expect(c.err()).toMatch(/nothing replaced/);
    // the saved directory tokenizes with the same command family
    const t = capture();
    expect(await runCli(['tokenize', '--model', join(dir, 'tok'), '--json', 'The THE'], t.io)).toBe(0);
    expect(JSON.parse(t.out()).tokens).toEqual(['[CLS]', 'the', 'the', '[SEP]']);
  });

  it('keeps case with --cased and rejects --cased with --lowercase', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.txt'), 'Alpha Beta\nAlpha Gamma\n');
    const c = capture();
    expect(await runCli(['vocab', '--corpus', join(dir, 'c.txt'), '--vocab-size', '40', '--cased', '--out', dir], c.io)).toBe(0);
    expect(readFileSync(join(dir, 'vocab.txt'), 'utf8')).toMatch(/^A$/m);
    const bad = capture();
    expect(await runCli(['vocab', '--corpus', 'x', '--out', dir, '--cased', '--lowercase'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/--lowercase or --cased, not both/);
  });

  it('names a missing corpus path (exit 1)', async () => {
    const c = capture();
    expect(await runCli(['vocab', '--corpus', '/nonexistent/corpus', '--out', tempDir()], c.io)).toBe(1);
    expect(c.err()).toMatch(/^bert vocab: CorpusError: corpus: expected an existing file or directory, got "\/nonexistent\/corpus"/);
  });
});

describe('bert pretrain-data', () => {
  it('writes shards and data.json, and reports what the reader replaced (BOM, CRLF, Latin-1 bytes)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'corpus.txt'), smallCorpus());
    await runCli(['vocab', '--corpus', join(dir, 'corpus.txt'), '--vocab-size', '99', '--min-frequency', '1', '--out', join(dir, 'tok')], capture().io);
    const dirty = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('the caf'), Buffer.from([0xe9]), Buffer.from(' sees a dog .\r\n'), Buffer.from(smallCorpus())]);
    writeFileSync(join(dir, 'dirty.txt'), dirty);
    const c = capture();
    const args = ['pretrain-data', '--corpus', join(dir, 'dirty.txt'), '--vocab', join(dir, 'tok', 'vocab.txt'), '--max-seq-length', '24', '--dupe-factor', '2', '--max-predictions', '4', '--seed', '7'];
    expect(await runCli([...args, '--out', join(dir, 'data')], c.io)).toBe(0);
    expect(c.err()).toMatch(/UTF-8 BOM removed; 1 CRLF line ending\(s\) read as LF; 1 byte\(s\) not valid UTF-8 replaced \(line 1 byte 0xe9 → "é"\)/);
    const meta = readDataMeta(join(dir, 'data'));
    expect(meta.objective).toBe('mlm+nsp');
    expect(meta.options).toMatchObject({ maxSeqLength: 24, dupeFactor: 2, maxPredictionsPerSeq: 4, mask: 0.8, random: 0.1, keep: 0.1, wholeWordMask: false });
    expect(meta.corpus.documents).toBe(12);
    expect(c.out()).toContain(`pretrain-data: ${meta.instances} instances (mlm+nsp, max 24 tokens, 4 predictions) from 12 documents`);
    const instances = [];
    for await (const x of readShardInstances(join(dir, 'data'))) instances.push(x);
    expect(instances).toHaveLength(meta.instances);
    expect(instances.every((x) => x.inputIds.length <= 24 && x.maskedPositions.length <= 4)).toBe(true);
    // same seed → same shards
    expect(await runCli([...args, '--out', join(dir, 'data2')], capture().io)).toBe(0);
    expect(readFileSync(join(dir, 'data2', meta.shards[0]))).toEqual(readFileSync(join(dir, 'data', meta.shards[0])));
  });

  it('parses --mask-ratios and rejects shares that do not sum to 1', () => {
    expect(parseMaskRatios('1,0,0')).toEqual({ mask: 1, random: 0, keep: 0 });
    expect(parseMaskRatios(undefined)).toEqual({ mask: 0.8, random: 0.1, keep: 0.1 });
    expect(() => parseMaskRatios('0.8,0.1')).toThrow(/--mask-ratios: expected three shares .* got '0.8,0.1'/);
    expect(() => parseMaskRatios('0.8,0.1,0.2')).toThrow(/summing to 1/);
  });
});
