import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';

/** tfjs-backend-cpu: plain JavaScript, always available, the reference for every other backend. */
export async function initCpu(): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new BackendError('cpu', 'tf.setBackend("cpu") returned false');
}
