import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';
import { importOptional, isNode, messageOf } from '../runtime.js';

/**
 * @tensorflow/tfjs-node (libtensorflow on the CPU) or @tensorflow/tfjs-node-gpu (CUDA): optional peers, used
 * when the user has installed them. Both register the tfjs backend 'tensorflow'. They share tfjs's global
 * engine with the tfjs-core this package uses (the engine lives on globalThis), so model code is unchanged.
 */
export async function initTfjsNode(name: 'tfjs-node' | 'tfjs-node-gpu'): Promise<void> {
  if (!isNode()) throw new BackendError(name, 'only available in Node');
  try {
    await importOptional(`@tensorflow/${name}`);
  } catch (e) {
    throw new BackendError(name, `@tensorflow/${name} is not installed or failed to load: ${messageOf(e)}`);
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new BackendError(name, `@tensorflow/${name} loaded but tf.setBackend("tensorflow") returned false`);
  }
}
