import { defineConfig } from 'tsup';

// Two builds of the root entry:
// - dist/index.{js,cjs} for bundlers and browsers: keeps `import '@tensorflow/tfjs-core/dist/register_all_gradients'`
//   as is (bundlers resolve tfjs-core's extensionless ESM files);
// - dist/index.node.{js,cjs} for Node (the "node" export condition): Node cannot load that file (ESM syntax in a
//   CommonJS package, extensionless imports), so the gradient registrations are bundled in. The bundled copy of
//   tfjs-core internals shares tfjs's global engine and gradient registry (both live on globalThis).
export default defineConfig([
  {
    entry: ['src/index.ts', 'src/node.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    treeshake: true,
    shims: true,
  },
  {
    entry: { 'index.node': 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'node',
    shims: true,
    noExternal: [/register_all_gradients/],
  },
]);
