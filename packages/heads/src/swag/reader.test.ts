import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSwagFile } from '../node';
import { CsvFormatError, parseCsv } from './csv';
import { SwagMetricError, argmax, swagAccuracy } from './metric';
import { SwagFormatError, parseSwagCsv, swagChoices } from './reader';

// No real SWAG file is available: these files are written here in the exact format of swagaf's val.csv / test.csv
// (pandas to_csv: unnamed index column first, RFC 4180 quoting only where needed, LF line ends).
const HEADER = ',video-id,fold-ind,startphrase,sent1,sent2,gold-source,ending0,ending1,ending2,ending3,label';
const VAL = [
  HEADER,
  '0,lsmdc3001_21_JUMP_STREET-422,11783,"Members of the procession walk down the street holding small horn brass instruments. A drum line","Members of the procession walk down the street holding small horn brass instruments.",A drum line,gold,"passes by walking down the street playing their instruments.","has heard approaching them.","arrives and they\'re outside dancing and asleep.",turns the lead singer watches the performance.,0',
  '1,anetv_jkn6uvmqwh4,4,"He says ""hi, there"", then",He says,"""hi, there"", then",gen,"waves,\nsmiling.",leaves.,,sits.,3',
].join('\n') + '\n';
const TEST = ',video-id,fold-ind,startphrase,sent1,sent2,gold-source,ending0,ending1,ending2,ending3\r\n7,v,1,A man sits. He,A man sits.,He,gold,a,b,c,d\r\n';

const dir = mkdtempSync(join(tmpdir(), 'bertkit-swag-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SWAG reader', () => {
  it('reads val.csv-format rows: quoted commas, doubled quotes, embedded newline, empty field', () => {
    const p = join(dir, 'val.csv');
    writeFileSync(p, VAL);
    const ex = readSwagFile(p);
    expect(ex.length).toBe(2);
    expect(ex[0]).toMatchObject({ index: '0', videoId: 'lsmdc3001_21_JUMP_STREET-422', foldInd: '11783', sent2: 'A drum line', goldSource: 'gold', label: 0 });
    expect(ex[0].endings[2]).toBe("arrives and they're outside dancing and asleep.");
    expect(ex[1].startphrase).toBe('He says "hi, there", then');
    expect(ex[1].sent2).toBe('"hi, there", then');
    expect(ex[1].endings).toEqual(['waves,\nsmiling.', 'leaves.', '', 'sits.']);
    expect(ex[1].label).toBe(3);
    expect(swagChoices(ex[0])[3]).toEqual([ex[0].sent1, 'A drum line turns the lead singer watches the performance.']);
  });
  it('reads test.csv-format rows without labels (CRLF)', () => {
    const p = join(dir, 'test.csv');
    writeFileSync(p, TEST);
    const ex = readSwagFile(p);
    expect(ex).toEqual([{ index: '7', videoId: 'v', foldInd: '1', startphrase: 'A man sits. He', sent1: 'A man sits.', sent2: 'He', goldSource: 'gold', endings: ['a', 'b', 'c', 'd'] }]);
  });
  it('rejects malformed files naming the problem', () => {
    expect(() => parseSwagCsv(HEADER.slice(1) + '\n')).toThrow(SwagFormatError);
    expect(() => parseSwagCsv(HEADER.replace('sent2', 'sentence2'))).toThrow(/expected a column "sent2"/);
    expect(() => parseSwagCsv(`${HEADER}\n0,v,1,s,a,b,gold,e0,e1,e2,e3,4\n`)).toThrow(/label: expected 0, 1, 2 or 3, got "4"/);
    expect(() => parseSwagCsv(`${HEADER}\n0,v,1\n`)).toThrow(/row 1: expected 12 fields, got 3/);
  });
});

describe('parseCsv (RFC 4180)', () => {
  it('handles quotes, empty fields and line ends', () => {
    expect(parseCsv('a,"b,c",,"d""e"\n"",x\n')).toEqual([['a', 'b,c', '', 'd"e'], ['', 'x']]);
    expect(parseCsv('a,b')).toEqual([['a', 'b']]);
    expect(parseCsv('a,\n')).toEqual([['a', '']]);
    expect(parseCsv('"multi\nline",z\r\nq,""')).toEqual([['multi\nline', 'z'], ['q', '']]);
  });
  it('rejects an unterminated quote and text after a closing quote', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(CsvFormatError);
    expect(() => parseCsv('"a"b,c\n')).toThrow(/line 1: expected a comma or line end after a closing quote, got "b"/);
  });
});

describe('swagAccuracy', () => {
  it('arg-max of the 4 scores against the label', () => {
    expect(argmax([0.1, 0.7, 0.7, 0.2])).toBe(1);
    expect(swagAccuracy([[0, 1, 0, 0], [3, 1, 2, 0], [0, 0, 0, 5]], [1, 2, 3])).toBe(2 / 3);
    expect(() => swagAccuracy([[1, 2, 3]], [0])).toThrow(SwagMetricError);
  });
});
