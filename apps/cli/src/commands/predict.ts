// `bert predict <task> --model <dir>`: predictions of a fine-tuned model on raw input, as JSON lines.
// Input from arguments or stdin (one input per line):
//   sequence classification: a text, or `A<TAB>B` for a pair          → {label, score, scores}
//   token classification:    a sentence (words split on whitespace)    → [{word, label}, ...]
//   question answering:      --context c and the question(s), or JSON lines {"question", "context"} → {answer, score}
//   multiple choice:         JSON lines {"context", "choices": [...]} → {choice, scores}
import { HeadConfigError, answerQuestion, chooseEnding, classify, tagWords, type LoadedBert } from '@bertkit/heads';
import { loadBert } from '@bertkit/heads/node';
import { BACKEND_OPTIONS, initBackendArg } from '../backend-arg.js';
import { ENGINE_OPTIONS, engineArg, openEngine } from '../engine-arg.js';
import { flag, required, str } from '../args.js';
import { resolveModelArg } from '../model-arg.js';
import { UsageError, type Command } from '../command.js';
import { readStdin } from '../io-utils.js';
import { TASK_NAMES } from './finetune-tasks.js';

/** The fine-tuned head of a loaded model (config.json `architectures` names it). */
function taskOf(m: LoadedBert) {
  if (!m.task) throw new HeadConfigError(`${m.source}/config.json architectures`, 'a BertFor<Task> head (a fine-tuned model)', JSON.stringify(m.config.architectures ?? null));
  return m.task;
}

function parseJsonLine(line: string, fields: string[]): Record<string, unknown> {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    throw new UsageError(`input: expected a JSON object with ${fields.join(', ')}, got '${line.slice(0, 80)}'`);
  }
  if (o === null || typeof o !== 'object' || fields.some((f) => !(f in (o as object)))) {
    throw new UsageError(`input: expected a JSON object with ${fields.join(', ')}, got '${line.slice(0, 80)}'`);
  }
  return o as Record<string, unknown>;
}

export const predictCommand: Command = {
  name: 'predict',
  summary: 'Predict with a fine-tuned model (classification, tagging, QA, multiple choice); JSON lines out',
  usage: '<task> --model <dir> [--context <text>] [--engine tfjs|ort [--threads n]] [input...]   (one input per line on stdin when none)',
  options: {
    model: { type: 'string', description: 'fine-tuned HF directory (bert finetune --out …/final, or a BertFor<Task> checkpoint)', valueName: 'dir' },
    context: { type: 'string', description: 'question answering: the passage (inputs are then questions)', valueName: 'text' },
    'version-2': { type: 'boolean', description: 'question answering: allow the null answer (SQuAD v2.0)' },
    ...BACKEND_OPTIONS,
    ...ENGINE_OPTIONS,
  },
  async run(values, positionals, io) {
    const [task, ...rest] = positionals;
    if (!task || !TASK_NAMES.includes(task)) throw new UsageError(`task: expected one of ${TASK_NAMES.join(', ')}, got '${task ?? ''}'`);
    const engine = engineArg(values);
    await initBackendArg(values, io);
    const dir = await resolveModelArg(required(values, 'model'), io);
    const inputs = rest.length > 0 ? rest : (await readStdin(io.stdin)).split('\n').filter((l) => l.trim() !== '');
    const loaded = await loadBert(dir);
    const { tokenizer } = loaded;
    const out = (x: unknown) => io.stdout.write(`${JSON.stringify(x)}\n`);
    let ort: Awaited<ReturnType<typeof openEngine>> = null;
    try {
      const model = taskOf(loaded);
      ort = await openEngine(engine, loaded, io);
      const forward = ort ?? undefined; // the logits from ORT; labels, spans and scores from the same heads code
      switch (model.kind) {
        case 'sequence-classification':
          for (const [i, p] of (await classify(model, tokenizer, inputs.map((l) => (l.includes('\t') ? (l.split('\t', 2) as [string, string]) : l)), undefined, forward)).entries()) out({ input: inputs[i], ...p });
          break;
        case 'token-classification':
          for (const tags of await tagWords(model, tokenizer, inputs.map((l) => l.trim().split(/\s+/)), undefined, forward)) out(tags);
          break;
        case 'question-answering': {
          const context = str(values, 'context');
          for (const line of inputs) {
            const q = context !== undefined ? { question: line, context } : (parseJsonLine(line, ['question', 'context']) as { question: string; context: string });
            out({ question: q.question, ...(await answerQuestion(model, tokenizer, String(q.question), String(q.context), { version2WithNegative: flag(values, 'version-2') }, forward)) });
          }
          break;
        }
        case 'multiple-choice':
          for (const line of inputs) {
            const q = parseJsonLine(line, ['context', 'choices']) as { context: string; choices: string[] };
            if (!Array.isArray(q.choices)) throw new UsageError(`input: "choices" expected an array of strings, got ${JSON.stringify(q.choices)}`);
            out(await chooseEnding(model, tokenizer, String(q.context), q.choices.map(String), undefined, forward));
          }
          break;
      }
    } finally {
      await ort?.dispose();
      loaded.dispose();
    }
    return 0;
  },
};
