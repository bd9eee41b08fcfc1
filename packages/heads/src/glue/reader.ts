// Reader for the original GLUE TSV files. Like run_classifier.py's `_read_tsv` (csv with `quotechar=None`) it
// splits on tabs only — quotes are data (MRPC/RTE sentences start with `"`) — and, unlike a csv reader, checks
// that every row has the header's column count so a stray tab cannot shift columns silently.
import { type GlueLayout, type GlueSplit, type GlueTask } from './tasks';

/** A malformed GLUE file: the message names the line, the expected and the actual value. */
export class GlueFormatError extends Error {
  override name = 'GlueFormatError';
}

export interface GlueExample {
  /** The row's id (`index` / QQP `id` column) or, for files without one, its 0-based row number. */
  id: string;
  textA: string;
  textB?: string;
  /** The label / score exactly as written (absent in test files). */
  label?: string;
  /** Class id (position of `label` in the task's label list) or the STS-B score as a number. */
  target?: number;
}

/** Splits TSV text into rows of fields: BOM removed, `\r\n` accepted, a missing final newline tolerated. */
export function splitTsv(text: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l).split('\t'));
}

const col = (fields: string[], i: number) => fields[i < 0 ? fields.length + i : i];

/** Reads one split of a GLUE task from the file's text. */
export function parseGlueTsv(task: GlueTask, split: GlueSplit, text: string, layout: GlueLayout = task.splits[split]): GlueExample[] {
  const rows = splitTsv(text);
  const columns = layout.header ? rows[0]?.length : layout.columns;
  const first = layout.header ? 1 : 0;
  const examples: GlueExample[] = [];
  for (let r = first; r < rows.length; r++) {
    const f = rows[r];
    const where = `${task.name} ${split} line ${r + 1}`;
    const ok = layout.extraColumns ? f.length >= (columns as number) : f.length === columns;
    if (!ok) throw new GlueFormatError(`${where}: expected ${layout.extraColumns ? 'at least ' : ''}${columns} tab-separated fields, got ${f.length}`);
    const ex: GlueExample = { id: layout.id === undefined ? String(r - first) : col(f, layout.id), textA: col(f, layout.textA) };
    if (layout.textB !== undefined) ex.textB = col(f, layout.textB);
    if (layout.label !== undefined) {
      const label = col(f, layout.label);
      ex.label = label;
      ex.target = labelTarget(task, label, where);
    }
    examples.push(ex);
  }
  return examples;
}

/** A label string → class id (or, for STS-B, the score); throws a {@link GlueFormatError} naming `where`. */
export function labelTarget(task: GlueTask, label: string, where: string): number {
  if (task.labels === null) {
    const score = Number(label);
    if (label.trim() === '' || !Number.isFinite(score)) throw new GlueFormatError(`${where}: expected a numeric score, got ${JSON.stringify(label)}`);
    return score;
  }
  const id = task.labels.indexOf(label);
  if (id < 0) throw new GlueFormatError(`${where}: expected a label in [${task.labels.join(', ')}], got ${JSON.stringify(label)}`);
  return id;
}
