// Every ```ts block of README.md runs as written (against the built package: `pnpm build` first, which turbo's
// `test` → `build` dependency does), and prints what its comments say.
import { describeReadme } from '@bertkit/test-utils/readme-suite';
import { expect } from 'vitest';

describeReadme(import.meta.url, {
  runnable: 1,
  title: 'prints what its comments say: the run, its checkpoints, and a resume equal to it',
  prints: (results) => {
    expect(results[0].stdout.split('\n')).toEqual([
      'step 5: loss 0.9074, lr 0.0889',
      'step 10: loss 0.7534, lr 0.0611',
      'checkpoint checkpoint-00000010',
      'step 15: loss 0.6802, lr 0.0333',
      'step 20: loss 0.6553, lr 0.0056',
      'checkpoint checkpoint-00000020',
      "resumed: 10 steps, losses equal to the uninterrupted run's: true",
      '',
    ]);
  },
});
