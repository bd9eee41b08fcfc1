// `bert eval cloze`: held-out sentences with one word masked, answered by a masked LM (top-1 / top-k accuracy) and
// by the bidirectional bigram baseline counted from a corpus. Items come from @bertkit/pretraining's cloze module;
// `--save-items` writes them (one JSON line each: text, answer, left, right) so other tools answer exactly the same items.
import { writeFileSync } from 'node:fs';
import { Rng } from '@bertkit/backend';
import { fillMask, maskedLmOf } from '@bertkit/heads';
import { loadBert } from '@bertkit/heads/node';
import { BigramCloze, clozeAccuracy, makeClozeItems, splitSentences, type ClozeItem } from '@bertkit/pretraining';
import { corpusDocuments } from '@bertkit/pretraining/node';
import { flag, int, required, str } from '../args.js';
import { initBackendArg } from '../backend-arg.js';
import { UsageError, type Io } from '../command.js';
import { resolveModelArg } from '../model-arg.js';
import { ProgressBar } from '../progress.js';
import { corpusReadOptions } from './vocab.js';

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** The sentences of a corpus spec (paragraph documents split at sentence ends; Brown's are sentences already). */
async function corpusSentences(spec: string, values: Values): Promise<string[]> {
  const { documents } = corpusDocuments(spec, corpusReadOptions(values, 'paragraphs'));
  const out: string[] = [];
  for await (const doc of documents) for (const p of doc) out.push(...splitSentences(p));
  return out;
}

export async function evalCloze(values: Values, io: Io): Promise<number> {
  const text = required(values, 'text');
  const modelArg = str(values, 'model');
  const baseline = str(values, 'baseline-corpus');
  if (!modelArg && !baseline) throw new UsageError('cloze: give --model <dir|hub id>, --baseline-corpus <spec>, or both');
  const topK = int(values, 'top-k', 5, { min: 1 });
  const items: ClozeItem[] = makeClozeItems(await corpusSentences(text, values), new Rng(int(values, 'seed', 12345, { min: 0 })), {
    count: int(values, 'items', 1000, { min: 1 }),
  });
  if (items.length === 0) throw new UsageError(`--text ${text}: expected sentences of 6–40 words, got none`);
  const save = str(values, 'save-items');
  if (save) writeFileSync(save, items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  const results: Record<string, { top1: number; topK: number; items: number }> = {};

  if (baseline) {
    const bigram = new BigramCloze().add(await corpusSentences(baseline, values));
    results.bigram = clozeAccuracy(items, items.map((it) => bigram.predict(it.left, it.right, topK)));
  }
  if (modelArg) {
    await initBackendArg(values, io);
    const loaded = await loadBert(await resolveModelArg(modelArg, io));
    try {
      const lm = maskedLmOf(loaded);
      const bar = new ProgressBar({ total: items.length, label: 'cloze', stream: io.stderr });
      const predictions: string[][] = [];
      for (const it of items) {
        const fills = await fillMask(lm, loaded.tokenizer, it.text, { topK });
        predictions.push(fills[0]?.candidates.map((c) => c.token_str) ?? []);
        bar.update(predictions.length);
      }
      bar.done();
      results.model = clozeAccuracy(items, predictions);
    } finally {
      loaded.dispose();
    }
  }
  if (flag(values, 'json')) {
    io.stdout.write(`${JSON.stringify({ items: items.length, top_k: topK, ...Object.fromEntries(Object.entries(results).map(([k, r]) => [k, { top1: r.top1, [`top${topK}`]: r.topK }])) })}\n`);
  } else {
    io.stdout.write(`cloze: ${items.length} items from ${text}\n`);
    for (const [k, r] of Object.entries(results)) {
      const name = k === 'model' ? modelArg! : `bigram (${baseline})`;
      io.stdout.write(`  ${name}: top-1 ${(100 * r.top1).toFixed(1)} %, top-${topK} ${(100 * r.topK).toFixed(1)} %\n`);
    }
  }
  return 0;
}
