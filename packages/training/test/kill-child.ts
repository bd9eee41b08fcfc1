// Child process of the kill -9 test: trains the toy task with a checkpoint after every step and prints each
// step's loss (as its exact bits) on stdout. The parent kills it with SIGKILL mid-run, then resumes.
// Usage: vite-node test/kill-child.ts <checkpointRoot> <steps>
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { runToy } from './toy-run.js';

const [dir, steps] = process.argv.slice(2);
tf.env().set('IS_TEST', true);
await tf.setBackend('cpu');
// A pause after each step keeps the run alive long enough for the parent's kill to land mid-run, even on a
// loaded machine (the parent kills after a few steps; the whole run would otherwise finish in well under a second).
const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
await runToy({
  dir,
  steps: Number(steps),
  resume: false,
  checkpointEvery: 1,
  onLoss: async (step, loss) => {
    process.stdout.write(`step ${step} ${loss}\n`);
    await pause();
  },
});
