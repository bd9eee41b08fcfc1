// Every ```ts block of README.md runs as written (against the built package: `pnpm build` first, which turbo's
// `test` → `build` dependency does), and prints what its comments say.
import { sharedMissing } from '@bertkit/test-utils';
import { describeReadme } from '@bertkit/test-utils/readme-suite';
import { expect } from 'vitest';

const missing = sharedMissing('models/bert-base-uncased-tokenizer'); // the second block loads it

describeReadme(import.meta.url, {
  runnable: 2,
  skip: missing,
  prints: (results) => {
    const [example, fromDir] = results.map((r) => r.stdout.split('\n'));
    expect(example).toEqual([
      '["[CLS]","the","cat","##s","sat","on","the","[MASK]",".","[SEP]","mat","##s","[UNK]","[SEP]"]',
      '[2,5,6,10,7,8,5,4,11,3,9,10,1,3]',
      '[[0,0],[0,3],[4,7],[7,8],[9,12],[13,15],[16,19],[20,26],[26,27],[0,0],[0,3],[3,4],[4,5],[0,0]]',
      '[0,0,0,0,0,0,0,0,0,0,1,1,1,1]',
      '"the cats sat on the. mats"',
      '[CLS] cat [SEP] the cat sat on [SEP]',
      '[CLS] cat [SEP] sat on the mat [SEP]',
      '[CLS] cat [SEP] the mat . the [SEP]',
      '[CLS] cat [SEP] . the cat sat [SEP]',
      '[CLS] cat [SEP] cat sat . [SEP] [PAD]',
      '',
    ]);
    expect(fromDir).toEqual(['30522 [101,7592,1010,2088,999,102]', '["una","##ffa","##ble"]', '101 7592 1010 2088 999 102', '']);
  },
});
