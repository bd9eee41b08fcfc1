// Every ```ts block of README.md runs as written (against the built package: `pnpm build` first, which turbo's
// `test` → `build` dependency does), and prints what its comments say (cpu numbers).
import { describeReadme } from '@bertkit/test-utils/readme-suite';
import { expect } from 'vitest';

describeReadme(import.meta.url, {
  runnable: 2,
  prints: (results) => {
    const [example, run] = results.map((r) => r.stdout.split('\n'));
    expect(example).toEqual([
      '8 [CLS] on the mat . the dog [MASK] [MASK] . [SEP] the dog sat . [SEP]',
      '1 [7,8] ran home',
      '3.3373 2.6489 0.6884 2.6391',
      '7 mat [MASK] . 0.081 0.076 0.076',
      '',
    ]);
    expect(run[0]).toMatch(
      /^mlm\+nsp, 1 layers × 32 hidden × 2 heads \(0\.03M parameters\), vocab 14, batch 4 × 16, 17 instances from .*\/corpus\.txt \(dupe factor 5\), backend cpu$/,
    );
    expect(run.slice(1)).toEqual([
      'step 10: loss 3.0770',
      'step 20: loss 2.7931',
      'step 30: loss 2.7993',
      'step 30/30: loss 2.7993, MLM loss 2.1600, MLM accuracy 0.3750, NSP loss 0.6394, NSP accuracy 0.7500',
      'checkpoints config.json metrics.jsonl model.safetensors tokenizer.json tokenizer_config.json vocab.txt',
      'checkpoint-00000010 checkpoint-00000020 checkpoint-00000030',
      'BertForPreTraining',
      '',
    ]);
  },
});
