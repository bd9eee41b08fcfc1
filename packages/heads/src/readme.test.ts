// Every ```ts block of README.md (but the no-run one, which needs the network) runs as written, against the built
// package (`pnpm build` first, which turbo's `test` → `build` dependency does), and prints what its comments say
// (cpu numbers).
import { fixturesMissing, sharedMissing } from '@bertkit/test-utils';
import { describeReadme } from '@bertkit/test-utils/readme-suite';
import { expect } from 'vitest';

const missing = fixturesMissing('encoder/models/tiny/pretraining') ?? sharedMissing('models/bert-base-uncased-tokenizer');

describeReadme(import.meta.url, {
  runnable: 3,
  noRun: 1,
  skip: missing,
  prints: (results) => {
    const [metrics, fineTuned, loaded] = results.filter((r) => !r.skipped).map((r) => r.stdout.split('\n'));
    expect(metrics).toEqual([
      'v1.1 {"exact_match": 50.0, "f1": 83.33333333333333}',
      'processed 6 tokens with 3 phrases; found: 3 phrases; correct: 2.',
      'accuracy:  83.33%; precision:  66.67%; recall:  66.67%; FB1:  66.67',
      '             MISC: precision: 100.00%; recall: 100.00%; FB1: 100.00  1',
      '              ORG: precision: 100.00%; recall: 100.00%; FB1: 100.00  1',
      '              PER: precision:   0.00%; recall:   0.00%; FB1:   0.00  1',
      '', // the report ends with a newline
      '',
    ]);
    expect(fineTuned).toEqual([
      '30 steps, loss 0.6947 → 0.0932',
      'pos 0.9171 {"neg":0.08287219496709859,"pos":0.9171278050329014}',
      'neg 0.9191 {"neg":0.9190920694454813,"pos":0.08090793055451863}',
      '',
    ]);
    expect(loaded).toEqual([
      "[ 'BertForPreTraining' ] true null",
      '6 {"score":0.00007836766599211842,"token":27730,"token_str":"##nsed","sequence":"the cat sat on thensed."}',
      '2 128',
      'sequence-classification {"0":"a","1":"b","2":"c"}',
      '',
    ]);
  },
});
