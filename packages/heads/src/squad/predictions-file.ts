// Writers for run_squad.py's output files in the exact bytes it writes (Python 3 `json.dumps(x, indent=4) + "\n"`):
// predictions.json (id → answer; the input of the official evaluation scripts), null_odds.json (id → na score,
// given to evaluate-v2.0.py as `--na-prob-file`) and nbest_predictions.json.
import type { NbestEntry } from './postprocess';
import { pyJsonDumps } from './py-json';

/** predictions.json: `{ "<qid>": "<answer>", ... }` in insertion order. */
export function formatPredictionsJson(predictions: Record<string, string>): string {
  return `${pyJsonDumps(predictions, 4)}\n`;
}

/** na_prob / null_odds.json: `{ "<qid>": <float>, ... }` (values written as Python floats). */
export function formatNaProbsJson(naProbs: Record<string, number>): string {
  return `${pyJsonDumps(naProbs, 4)}\n`;
}

/** nbest_predictions.json: `{ "<qid>": [{text, probability, start_logit, end_logit}, ...], ... }`. */
export function formatNbestJson(nbest: Record<string, NbestEntry[]>): string {
  const obj: Record<string, Record<string, number | string>[]> = {};
  for (const [k, list] of Object.entries(nbest)) {
    obj[k] = list.map((e) => ({ text: e.text, probability: e.probability, start_logit: e.start_logit, end_logit: e.end_logit }));
  }
  return `${pyJsonDumps(obj, 4)}\n`;
}

/** A malformed predictions / na_prob file (message: the key, the expected and the actual value). */
export class SquadPredictionsError extends Error {
  override name = 'SquadPredictionsError';
}

/** Reads a predictions.json text (any JSON object of string values, e.g. from another system). */
export function parsePredictionsJson(text: string): Record<string, string> {
  const obj = parseObject(text, 'predictions');
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v !== 'string') throw new SquadPredictionsError(`predictions["${k}"]: expected a string, got ${JSON.stringify(v)}`);
  }
  return obj as Record<string, string>;
}

/**
 * Reads an na_prob.json text (a flat JSON object of numbers) into a Map in FILE order, as Python's dict keeps it
 * (a JS object would move integer-like keys first), so evaluate-v2.0.py's tie order is reproduced.
 */
export function parseNaProbsJson(text: string): Map<string, number> {
  const obj = parseObject(text, 'na_probs');
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v !== 'number') throw new SquadPredictionsError(`na_probs["${k}"]: expected a number, got ${JSON.stringify(v)}`);
  }
  const out = new Map<string, number>();
  // The object is flat (checked above), so every `"key":` outside a string value is a key, in file order.
  const keyRe = /"((?:[^"\\]|\\.)*)"\s*:/g;
  for (let m = keyRe.exec(text); m !== null; m = keyRe.exec(text)) {
    const key = JSON.parse(`"${m[1]}"`) as string;
    out.set(key, obj[key] as number);
  }
  return out;
}

function parseObject(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    // Python's json module accepts NaN/Infinity; those never occur in these files, so plain JSON.parse suffices.
    v = JSON.parse(text);
  } catch (e) {
    throw new SquadPredictionsError(`${what}: expected JSON, got a parse error (${(e as Error).message})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SquadPredictionsError(`${what}: expected a JSON object, got ${Array.isArray(v) ? 'an array' : typeof v}`);
  return v as Record<string, unknown>;
}
