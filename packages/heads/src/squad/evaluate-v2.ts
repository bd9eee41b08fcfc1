// The official SQuAD v2.0 evaluation (evaluate-v2.0.py), step for step: raw exact/F1 per question (an
// unanswerable question's only gold answer is ""), the no-answer threshold on na_probs (default 1.0), the
// overall / HasAns / NoAns breakdown and, with an na_prob file, `find_all_best_thresh`.
import { SquadEvalError, commonCount } from './evaluate-v1';
import { answerTokens, normalizeAnswer } from './normalize';
import { PyInt, pyJsonDumps, type PyJson } from './py-json';
import type { SquadDataset } from './reader';

/** `compute_exact(a_gold, a_pred)`. */
export function computeExact(gold: string, pred: string): number {
  return normalizeAnswer(gold) === normalizeAnswer(pred) ? 1 : 0;
}

/** `compute_f1(a_gold, a_pred)`: if either side normalises to no tokens, 1 when both do, else 0. */
export function computeF1(gold: string, pred: string): number {
  const goldToks = answerTokens(gold);
  const predToks = answerTokens(pred);
  const numSame = commonCount(goldToks, predToks);
  if (goldToks.length === 0 || predToks.length === 0) return goldToks.length === predToks.length ? 1 : 0;
  if (numSame === 0) return 0;
  const precision = (1.0 * numSame) / predToks.length;
  const recall = (1.0 * numSame) / goldToks.length;
  return (2 * precision * recall) / (precision + recall);
}

/** The script's output dict, keys in its order (HasAns_* / NoAns_* only when such questions exist). */
export interface SquadV2Eval {
  exact: number;
  f1: number;
  total: number;
  HasAns_exact?: number;
  HasAns_f1?: number;
  HasAns_total?: number;
  NoAns_exact?: number;
  NoAns_f1?: number;
  NoAns_total?: number;
  best_exact?: number;
  best_exact_thresh?: number;
  best_f1?: number;
  best_f1_thresh?: number;
}

export interface SquadV2Options {
  /**
   * Contents of the na_prob file (question id → probability of no answer); enables the best-threshold search.
   * Pass a Map in file order (parseNaProbsJson) to break na_prob ties exactly as Python's stable sort over the
   * file's key order does; a plain object lists integer-like keys first (a JS rule), which only matters then.
   */
  naProbs?: Record<string, number> | ReadonlyMap<string, number>;
  /** `--na-prob-thresh`: predict "" when na_prob exceeds it (default 1.0). */
  naProbThresh?: number;
}

/** Python's `sum()` over an iterable of numbers: left-to-right double addition (Python ≤ 3.11 semantics). */
function pySum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

function makeEvalDict(exact: Map<string, number>, f1: Map<string, number>, qids?: string[]) {
  if (!qids) {
    const total = exact.size;
    return { exact: (100.0 * pySum(exact.values())) / total, f1: (100.0 * pySum(f1.values())) / total, total };
  }
  const total = qids.length;
  const get = (m: Map<string, number>, k: string): number => m.get(k) as number;
  return {
    exact: (100.0 * pySum(qids.map((k) => get(exact, k)))) / total,
    f1: (100.0 * pySum(qids.map((k) => get(f1, k)))) / total,
    total,
  };
}

function applyNoAnsThreshold(scores: Map<string, number>, naProbs: (q: string) => number, hasAns: Map<string, boolean>, thresh: number) {
  const out = new Map<string, number>();
  for (const [qid, s] of scores) out.set(qid, naProbs(qid) > thresh ? (hasAns.get(qid) ? 0 : 1) : s);
  return out;
}

/** `find_best_thresh`: sweep questions by ascending na_prob (stable, file order on ties). */
function findBestThresh(preds: Record<string, string>, scores: Map<string, number>, naProbs: ReadonlyMap<string, number>, hasAns: Map<string, boolean>): [number, number] {
  let numNoAns = 0;
  for (const v of hasAns.values()) if (!v) numNoAns++;
  let cur = numNoAns;
  let best = cur;
  let bestThresh = 0.0;
  const p = (k: string) => naProbs.get(k) as number;
  const qids = [...naProbs.keys()].sort((a, b) => (p(a) < p(b) ? -1 : p(a) > p(b) ? 1 : 0));
  for (const qid of qids) {
    if (!scores.has(qid)) continue;
    const diff = hasAns.get(qid) ? (scores.get(qid) as number) : preds[qid] ? -1 : 0;
    cur += diff;
    if (cur > best) {
      best = cur;
      bestThresh = p(qid);
    }
  }
  return [(100.0 * best) / scores.size, bestThresh];
}

/**
 * Runs evaluate-v2.0.py's `main()`. Every question must have a prediction (and an na_prob when `naProbs` is
 * given): the script prints "Missing prediction for <id>" and then dies with a KeyError in `make_eval_dict`, so
 * here a {@link SquadEvalError} names the missing ids instead of producing numbers the script never prints.
 */
export function evaluateSquadV2(dataset: SquadDataset, preds: Record<string, string>, options: SquadV2Options = {}): SquadV2Eval {
  const thresh = options.naProbThresh ?? 1.0;
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  const hasAns = new Map<string, boolean>();
  for (const qa of dataset.examples) hasAns.set(qa.id, qa.answers.length > 0);
  const missing = [...hasAns.keys()].filter((q) => !has(preds, q));
  if (missing.length > 0) {
    throw new SquadEvalError(`predictions: expected one for every question, missing ${missing.length} (first: ${missing.slice(0, 3).join(', ')})`);
  }
  const given = options.naProbs;
  const naProbs = given === undefined ? undefined : given instanceof Map ? (given as ReadonlyMap<string, number>) : new Map(Object.entries(given));
  if (naProbs) {
    const noProb = [...hasAns.keys()].filter((q) => typeof naProbs.get(q) !== 'number');
    if (noProb.length > 0) {
      throw new SquadEvalError(`na_probs: expected a number for every question, missing ${noProb.length} (first: ${noProb.slice(0, 3).join(', ')})`);
    }
  }
  const exactRaw = new Map<string, number>();
  const f1Raw = new Map<string, number>();
  for (const qa of dataset.examples) {
    let gold = qa.answers.map((a) => a.text).filter((t) => normalizeAnswer(t));
    if (gold.length === 0) gold = [''];
    const pred = preds[qa.id];
    if (typeof pred !== 'string') throw new SquadEvalError(`prediction for ${qa.id}: expected a string, got ${JSON.stringify(pred)}`);
    exactRaw.set(qa.id, Math.max(...gold.map((g) => computeExact(g, pred))));
    f1Raw.set(qa.id, Math.max(...gold.map((g) => computeF1(g, pred))));
  }
  const probOf = (q: string) => (naProbs ? (naProbs.get(q) as number) : 0.0);
  const exactT = applyNoAnsThreshold(exactRaw, probOf, hasAns, thresh);
  const f1T = applyNoAnsThreshold(f1Raw, probOf, hasAns, thresh);
  const out: SquadV2Eval = makeEvalDict(exactT, f1T);
  const hasIds = [...hasAns].filter(([, v]) => v).map(([k]) => k);
  const noIds = [...hasAns].filter(([, v]) => !v).map(([k]) => k);
  if (hasIds.length > 0) {
    const e = makeEvalDict(exactT, f1T, hasIds);
    Object.assign(out, { HasAns_exact: e.exact, HasAns_f1: e.f1, HasAns_total: e.total });
  }
  if (noIds.length > 0) {
    const e = makeEvalDict(exactT, f1T, noIds);
    Object.assign(out, { NoAns_exact: e.exact, NoAns_f1: e.f1, NoAns_total: e.total });
  }
  if (naProbs) {
    const [bestExact, exactThresh] = findBestThresh(preds, exactRaw, naProbs, hasAns);
    const [bestF1, f1Thresh] = findBestThresh(preds, f1Raw, naProbs, hasAns);
    Object.assign(out, { best_exact: bestExact, best_exact_thresh: exactThresh, best_f1: bestF1, best_f1_thresh: f1Thresh });
  }
  return out;
}

/**
 * What evaluate-v2.0.py prints: `json.dumps(out_eval, indent=2)` (`*_total` are ints, the rest floats). One
 * difference is possible: Python prints a `best_*_thresh` taken from an na_prob file that wrote it as an integer
 * (`0` rather than `0.0`) without ".0"; JSON numbers carry no such distinction here.
 */
export function formatSquadV2Eval(result: SquadV2Eval): string {
  const obj: Record<string, PyJson> = {};
  for (const [k, v] of Object.entries(result)) obj[k] = k.endsWith('total') ? new PyInt(v as number) : (v as number);
  return pyJsonDumps(obj, 2);
}
