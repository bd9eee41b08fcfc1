// How many SQuAD gold answers are recovered exactly through the features' offsets (every window holding them).
import { loadTokenizer } from '@bertkit/tokenizer/node';
import { readSquadFile } from '../src/node';
import { spanInWindow, squadFeatures, truncateQuestion } from '../src/squad/features';

const [file, vocabDir, limit] = process.argv.slice(2);
const tok = await loadTokenizer(vocabDir);
const ds = readSquadFile(file);
const examples = ds.examples.slice(0, limit ? Number(limit) : undefined);
const t0 = performance.now();
const feats = squadFeatures(tok, examples);
const t1 = performance.now();
let answers = 0, windowsWith = 0, exact = 0, none = 0;
const bad: string[] = [];
for (const ex of examples) {
  const q = truncateQuestion(tok, ex.question, 64);
  const enc = tok.encode(q, ex.context, { maxLength: 384, truncation: 'only_second', stride: 128, returnOverflowing: true });
  for (const a of ex.answers) {
    answers++;
    let any = false;
    for (const w of [enc, ...enc.overflowing]) {
      const span = spanInWindow(w, a.start, a.end);
      if (!span) continue;
      any = true;
      windowsWith++;
      const text = ex.context.slice(w.offsets[span[0]][0], w.offsets[span[1]][1]);
      if (text === a.text) exact++;
      else if (bad.length < 8) bad.push(`${JSON.stringify(a.text)} → ${JSON.stringify(text)}`);
    }
    if (!any) none++;
  }
}
console.log(JSON.stringify({ examples: examples.length, features: feats.length, featureSec: ((t1 - t0) / 1000).toFixed(1), answers, windowsWith, exact, exactPct: (100 * exact / windowsWith).toFixed(3), answersInNoWindow: none }));
console.log(bad.join('\n'));
