import * as tf from '@tensorflow/tfjs-core';
// tfjs-core on its own registers no gradient functions (the union package @tensorflow/tfjs does it for users);
// this side-effect import registers all of them. Every op file here imports this module so that any code
// using the ops can differentiate, whatever else it imports.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

/**
 * Makes sure tfjs-core's gradient functions are registered and reports whether they are. Importing any op from
 * this package already registers them; call this when you use plain tf ops with `tf.grads` and nothing else
 * from here, so the import is not tree-shaken away.
 */
export function registerGradients(): boolean {
  return tf.getGradient(tf.BatchMatMul) !== undefined && tf.getGradient(tf.Add) !== undefined;
}
