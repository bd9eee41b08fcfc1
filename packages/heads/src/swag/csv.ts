// RFC 4180 CSV parsing (what pandas `to_csv` writes and Python's csv module reads): comma-separated fields,
// fields in double quotes may hold commas, newlines and doubled quotes (""), LF or CRLF line ends.

/** Malformed CSV: the message names the line, the expected and the actual character. */
export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
}

/** Parses CSV text into rows of fields (a final line end does not make an empty row; a BOM is dropped). */
export function parseCsv(text: string): string[][] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let line = 1;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < s.length) {
    const c = s[i];
    if (c === '"' && field === '') {
      // Quoted field: runs to the next quote that is not doubled.
      const startLine = line;
      i++;
      for (;;) {
        if (i >= s.length) throw new CsvFormatError(`CSV line ${startLine}: expected a closing quote, got end of file`);
        const d = s[i];
        if (d === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (d === '\n') line++;
        field += d;
        i++;
      }
      const next = s[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvFormatError(`CSV line ${line}: expected a comma or line end after a closing quote, got ${JSON.stringify(next)}`);
      }
      // An empty quoted field ("") must still count as a field even though `field` is empty.
      if (next === undefined) {
        endRow();
        return rows;
      }
      continue;
    }
    if (c === ',') {
      endField();
      i++;
    } else if (c === '\n' || (c === '\r' && s[i + 1] === '\n')) {
      endRow();
      i += c === '\r' ? 2 : 1;
      line++;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
