// Reader for the original SQuAD JSON (v1.1 and v2.0, rajpurkar/SQuAD-explorer `dataset/*.json`).
// `answer_start` counts Python code points; JS strings index UTF-16 code units, so every offset is converted
// (identical unless the context holds a character outside the BMP) and the answer text is checked at it.

/** A malformed SQuAD file: the message names the JSON path, the expected and the actual value. */
export class SquadFormatError extends Error {
  override name = 'SquadFormatError';
}

export interface SquadAnswer {
  text: string;
  /** Start of the answer in `context`, in UTF-16 code units (JS string index). */
  start: number;
  /** End (exclusive), UTF-16 code units: `context.slice(start, end) === text`. */
  end: number;
  /** The file's `answer_start` (Python code points). */
  answerStart: number;
}

export interface SquadExample {
  id: string;
  title: string;
  context: string;
  question: string;
  /** Gold answers (empty for a v2.0 unanswerable question). Duplicates are kept, as the scripts keep them. */
  answers: SquadAnswer[];
  /** v2.0 `is_impossible` (false for v1.1 files). */
  isImpossible: boolean;
  /** v2.0 `plausible_answers` of an unanswerable question (empty otherwise). */
  plausibleAnswers: SquadAnswer[];
}

export interface SquadDataset {
  /** The file's `version` string as written: "1.1" for v1.1, "v2.0" for v2.0. */
  version: string;
  /** Every question in file order (article → paragraph → qa), the order the official scripts iterate. */
  examples: SquadExample[];
}

function fail(path: string, expected: string, actual: unknown): never {
  const shown = typeof actual === 'string' ? JSON.stringify(actual.slice(0, 80)) : JSON.stringify(actual);
  throw new SquadFormatError(`SQuAD ${path}: expected ${expected}, got ${shown}`);
}

function asObject(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Record<string, unknown>;
}

function asArray(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, 'an array', typeof v === 'object' ? 'object' : v);
  return v;
}

function asString(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'a string', v);
  return v;
}

/** UTF-16 index of each code-point offset of `s` (length = code points + 1); null when `s` is all BMP. */
function codePointToUtf16(s: string): number[] | null {
  if (!/[\ud800-\udfff]/.test(s)) return null;
  const map: number[] = [];
  let i = 0;
  for (const ch of s) {
    map.push(i);
    i += ch.length;
  }
  map.push(i);
  return map;
}

function readAnswers(v: unknown, path: string, context: string, cpMap: number[] | null): SquadAnswer[] {
  return asArray(v, path).map((a, k) => {
    const p = `${path}[${k}]`;
    const o = asObject(a, p);
    const text = asString(o.text, `${p}.text`);
    const answerStart = o.answer_start;
    const cpLength = cpMap ? cpMap.length - 1 : context.length;
    if (typeof answerStart !== 'number' || !Number.isInteger(answerStart) || answerStart < 0 || answerStart > cpLength) {
      fail(`${p}.answer_start`, `an integer code-point offset in [0, ${cpLength}]`, answerStart);
    }
    const start = cpMap ? cpMap[answerStart] : answerStart;
    const end = start + text.length;
    const found = context.slice(start, end);
    if (found !== text) fail(`${p}.text`, `the context text at answer_start ${answerStart} (${JSON.stringify(found)})`, text);
    return { text, start, end, answerStart };
  });
}

/** Parses a SQuAD v1.1 / v2.0 dataset object (the result of `JSON.parse` on the file). */
export function parseSquad(json: unknown): SquadDataset {
  const root = asObject(json, '$');
  const version = asString(root.version, '$.version');
  const examples: SquadExample[] = [];
  asArray(root.data, '$.data').forEach((art, i) => {
    const ap = `$.data[${i}]`;
    const article = asObject(art, ap);
    const title = typeof article.title === 'string' ? article.title : '';
    asArray(article.paragraphs, `${ap}.paragraphs`).forEach((par, j) => {
      const pp = `${ap}.paragraphs[${j}]`;
      const paragraph = asObject(par, pp);
      const context = asString(paragraph.context, `${pp}.context`);
      const cpMap = codePointToUtf16(context);
      asArray(paragraph.qas, `${pp}.qas`).forEach((q, k) => {
        const qp = `${pp}.qas[${k}]`;
        const qa = asObject(q, qp);
        const isImpossible = qa.is_impossible === undefined ? false : qa.is_impossible;
        if (typeof isImpossible !== 'boolean') fail(`${qp}.is_impossible`, 'a boolean', isImpossible);
        examples.push({
          id: asString(qa.id, `${qp}.id`),
          title,
          context,
          question: asString(qa.question, `${qp}.question`),
          answers: readAnswers(qa.answers ?? [], `${qp}.answers`, context, cpMap),
          isImpossible,
          plausibleAnswers: qa.plausible_answers === undefined ? [] : readAnswers(qa.plausible_answers, `${qp}.plausible_answers`, context, cpMap),
        });
      });
    });
  });
  return { version, examples };
}

/** Parses the text of a SQuAD JSON file. */
export function parseSquadText(text: string): SquadDataset {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SquadFormatError(`SQuAD file: expected JSON, got a parse error (${(e as Error).message})`);
  }
  return parseSquad(json);
}
