// `bert eval <squad|conll|glue>`: scores prediction files from anywhere with the official metrics, printing what
// the official tools print (evaluate-v1.1.py / evaluate-v2.0.py, conlleval) so numbers compare across codebases.
import {
  conllevalFile,
  conllevalJson,
  evaluateGluePredictions,
  PyInt,
  evaluateSquadOfficial,
  formatConllevalReport,
  pyJsonDumps,
  glueTask,
  readGlueFile,
  readGluePredictionsFile,
  readNaProbsFile,
  readSquadFile,
  readSquadPredictionsFile,
  type PyJson,
  type SquadScript,
} from '@bertkit/heads/node';
import { writeFileSync } from 'node:fs';
import { choice, flag, num, required, str } from '../args.js';
import { UsageError, type Command, type Io } from '../command.js';
import { evalCloze } from './eval-cloze.js';
import { evalMlm } from './eval-mlm.js';
import { BACKEND_OPTIONS } from '../backend-arg.js';

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

function evalSquad(values: Values, io: Io): number {
  const dataset = readSquadFile(required(values, 'data'));
  const predictions = readSquadPredictionsFile(required(values, 'predictions'));
  const naFile = str(values, 'na-probs');
  const scriptArg = str(values, 'script');
  const script = scriptArg === undefined ? undefined : choice<SquadScript>(values, 'script', ['v1.1', 'v2.0'], 'v2.0');
  const r = evaluateSquadOfficial(dataset, predictions, {
    ...(script ? { script } : {}),
    ...(naFile ? { naProbs: readNaProbsFile(naFile) } : {}),
    ...(values['na-prob-thresh'] !== undefined ? { naProbThresh: num(values, 'na-prob-thresh', 1, { min: 0, max: 1 }) } : {}),
  });
  if (!flag(values, 'quiet')) for (const w of r.warnings) io.stderr.write(`${w}\n`); // e.g. "Unanswered question … will receive score 0."
  const outFile = str(values, 'out-file');
  if (outFile !== undefined) {
    if (r.script !== 'v2.0') throw new UsageError('--out-file: evaluate-v1.1.py has no --out-file; it applies to the v2.0 script only');
    // evaluate-v2.0.py --out-file: json.dump(out_eval, f) — one line, Python's separators, totals as ints
    const obj: Record<string, PyJson> = {};
    for (const [k, v] of Object.entries(r.scores)) obj[k] = k.endsWith('total') ? new PyInt(v as number) : (v as number);
    writeFileSync(outFile, pyJsonDumps(obj));
    return 0;
  }
  // The official scripts print JSON already (v1.1 on one line, v2.0 with indent=2): --json changes nothing.
  io.stdout.write(`${r.text}\n`);
  return 0;
}

function evalConll(values: Values, io: Io): number {
  const r = conllevalFile(required(values, 'predictions'), {
    ...(values.delimiter !== undefined ? { delimiter: str(values, 'delimiter') } : {}),
    ...(flag(values, 'raw') ? { raw: true } : {}),
    ...(values['o-tag'] !== undefined ? { oTag: str(values, 'o-tag') } : {}),
  });
  io.stdout.write(flag(values, 'json') ? `${JSON.stringify(conllevalJson(r), null, 2)}\n` : formatConllevalReport(r));
  return 0;
}

function evalGlue(values: Values, io: Io): number {
  const task = glueTask(required(values, 'task'));
  const examples = readGlueFile(task, 'dev', required(values, 'data'));
  const predictions = readGluePredictionsFile(task, required(values, 'predictions'));
  const scores = evaluateGluePredictions(task, examples, predictions);
  if (flag(values, 'json')) {
    io.stdout.write(`${JSON.stringify({ task: task.name, examples: examples.length, ...scores }, null, 2)}\n`);
  } else {
    io.stdout.write(`${task.name}: ${examples.length} examples\n`);
    for (const [k, v] of Object.entries(scores)) io.stdout.write(`  ${k.padEnd(20)} ${v.toFixed(4)}\n`);
  }
  return 0;
}

const TASKS: Record<string, (values: Values, io: Io) => number | Promise<number>> = { squad: evalSquad, conll: evalConll, glue: evalGlue, cloze: evalCloze, mlm: evalMlm };

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Score prediction files with the official metrics (SQuAD, CoNLL conlleval, GLUE), or a masked LM on held-out text (mlm, cloze)',
  usage: [
    'squad --data dev-v2.0.json --predictions preds.json [--na-probs na_prob.json] [--json]',
    '       bert eval conll --predictions tagged.txt [--json]        (conlleval input: token ... gold guess)',
    '       bert eval glue --task <name> --data dev.tsv --predictions preds.tsv [--json]',
    '       bert eval mlm --model <dir|hub id> --text <held-out file|dir> [--items 2000] [--json]',
    '       bert eval cloze --text <held-out file|dir> [--model <dir|hub id>] [--baseline-corpus <spec>] [--items 1000] [--json]',
  ].join('\n'),
  options: {
    data: { type: 'string', description: 'squad: dev-v1.1.json / dev-v2.0.json; glue: the labelled dev.tsv', valueName: 'file' },
    predictions: { type: 'string', description: 'squad: predictions.json; conll: conlleval input; glue: index<TAB>prediction TSV', valueName: 'file' },
    'na-probs': { type: 'string', description: 'squad v2.0: na_prob.json (adds best_exact / best_f1 thresholds)', valueName: 'file' },
    'na-prob-thresh': { type: 'string', description: 'squad v2.0: predict no answer above this na_prob (default: 1.0)', valueName: 'p' },
    'out-file': { type: 'string', description: 'squad v2.0: write the scores there instead of printing (evaluate-v2.0.py --out-file)', valueName: 'file' },
    script: { type: 'string', description: "squad: 'v1.1' or 'v2.0' (default: by the dataset's version)", valueName: 'name' },
    task: { type: 'string', description: 'glue: cola, sst2, mrpc, stsb, qqp, mnli, mnli-mm, qnli, rte, wnli', valueName: 'name' },
    delimiter: { type: 'string', description: "conll: field delimiter (conlleval -d; default: ' ')", valueName: 'c' },
    raw: { type: 'boolean', description: 'conll: tags without B-/I- prefixes (conlleval -r)' },
    'o-tag': { type: 'string', description: 'conll: the outside tag with --raw (conlleval -o; default: O)', valueName: 'tag' },
    json: { type: 'boolean', description: 'print JSON (squad prints JSON either way, as the official scripts do)' },
    text: { type: 'string', description: 'mlm, cloze: held-out text (file, directory; several joined by commas) the instances / items are made from', valueName: 'path' },
    model: { type: 'string', description: 'mlm, cloze: the masked LM (HF directory or hub id)', valueName: 'dir|id' },
    'max-seq-length': { type: 'string', description: 'mlm: tokens per instance (default: 128)', valueName: 'n' },
    'masked-lm-prob': { type: 'string', description: 'mlm: share of tokens masked (default: 0.15)', valueName: 'p' },
    'baseline-corpus': { type: 'string', description: "cloze: count the bidirectional bigram baseline from this corpus (file, dir, 'brown'; joined by commas)", valueName: 'spec' },
    'corpus-format': { type: 'string', description: 'mlm, cloze: how --text and --baseline-corpus files are read: lines | paragraphs | wikitext (default: paragraphs)', valueName: 'fmt' },
    gutenberg: { type: 'boolean', description: "mlm, cloze: drop each file's Project Gutenberg header and licence" },
    items: { type: 'string', description: 'cloze: items to make, one per sentence (default: 1000); mlm: instances (default: 2000)', valueName: 'n' },
    seed: { type: 'string', description: 'mlm, cloze: seed of the masking / sentence order (default: 12345)', valueName: 'n' },
    'top-k': { type: 'string', description: 'cloze: also score the top k (default: 5)', valueName: 'n' },
    'save-items': { type: 'string', description: 'cloze: write the items as JSON lines {text, answer, left, right}', valueName: 'file' },
    ...BACKEND_OPTIONS,
    quiet: { type: 'boolean', description: "squad: leave out the official scripts' per-question warnings on stderr (unanswered / missing questions)" },
  },
  async run(values, positionals, io) {
    const [task, ...extra] = positionals;
    if (task === undefined) throw new UsageError(`expected a task (${Object.keys(TASKS).join(', ')}), got none`);
    if (!(task in TASKS)) throw new UsageError(`expected a task (${Object.keys(TASKS).join(', ')}), got '${task}'`);
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    return await TASKS[task](values, io);
  },
};
