// Reader for the original SWAG CSV files (rowanz/swagaf `data/{train,val,test}.csv`, written by pandas): the
// header's first column is unnamed (the pandas index), then video-id, fold-ind, startphrase, sent1, sent2,
// gold-source, ending0..ending3 and label (absent in test.csv, whose labels are withheld). Columns are found by
// header name. The BERT paper (§4.4) scores 4 × `[CLS] sent1 [SEP] sent2 ending_i [SEP]`: see `swagChoices`.
import { parseCsv } from './csv';

/** A malformed SWAG file: the message names the row / column, the expected and the actual value. */
export class SwagFormatError extends Error {
  override name = 'SwagFormatError';
}

export interface SwagExample {
  /** The unnamed first column (the pandas row index). */
  index: string;
  videoId: string;
  foldInd: string;
  startphrase: string;
  /** The context sentence. */
  sent1: string;
  /** The beginning of the second sentence, shared by the 4 endings. */
  sent2: string;
  goldSource: string;
  endings: [string, string, string, string];
  /** 0–3; absent in the test split. */
  label?: number;
}

const REQUIRED = ['video-id', 'fold-ind', 'startphrase', 'sent1', 'sent2', 'gold-source', 'ending0', 'ending1', 'ending2', 'ending3'];

/** Parses SWAG CSV text (train / val with labels, test without). */
export function parseSwagCsv(text: string): SwagExample[] {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new SwagFormatError('SWAG header: expected ",video-id,fold-ind,…", got an empty file');
  const header = rows[0];
  if (header[0] !== '') throw new SwagFormatError(`SWAG header column 0: expected "" (the unnamed pandas index), got ${JSON.stringify(header[0])}`);
  const col = new Map(header.map((h, i) => [h, i]));
  for (const name of REQUIRED) {
    if (!col.has(name)) throw new SwagFormatError(`SWAG header: expected a column "${name}", got [${header.join(', ')}]`);
  }
  const labelCol = col.get('label');
  const at = (name: string) => col.get(name) as number;
  return rows.slice(1).map((r, k) => {
    if (r.length !== header.length) throw new SwagFormatError(`SWAG row ${k + 1}: expected ${header.length} fields, got ${r.length}`);
    const ex: SwagExample = {
      index: r[0],
      videoId: r[at('video-id')],
      foldInd: r[at('fold-ind')],
      startphrase: r[at('startphrase')],
      sent1: r[at('sent1')],
      sent2: r[at('sent2')],
      goldSource: r[at('gold-source')],
      endings: [r[at('ending0')], r[at('ending1')], r[at('ending2')], r[at('ending3')]],
    };
    if (labelCol !== undefined) {
      const raw = r[labelCol];
      const label = Number(raw);
      if (!/^[0-3]$/.test(raw)) throw new SwagFormatError(`SWAG row ${k + 1} label: expected 0, 1, 2 or 3, got ${JSON.stringify(raw)}`);
      ex.label = label;
    }
    return ex;
  });
}

/** The 4 (first, second) segment pairs of an example: sent1, and sent2 followed by each ending (BERT §4.4). */
export function swagChoices(ex: SwagExample): [string, string][] {
  return ex.endings.map((e) => [ex.sent1, ex.sent2 ? `${ex.sent2} ${e}` : e]);
}
