// Flat config shared by every package: typescript-eslint's recommended rules plus the house rules that
// tools can check (no Math.random in libraries: randomness comes from a seeded RNG passed in; no synchronous
// tensor reads in packages' and apps' sources: on a GPU every read is asynchronous, `await t.data()`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Pass a seeded RNG instead of Math.random().' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // sources only: tests may read synchronously on the cpu backend
    files: ['**/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['dataSync', 'arraySync', 'bufferSync'].map((name) => ({
          selector: `CallExpression > MemberExpression.callee > Identifier.property[name='${name}']`,
          message: `${name}() blocks on (and on WebGPU in Node, fails at) a GPU read-back: use \`await t.data()\` / \`await t.array()\`.`,
        })),
      ],
    },
  },
);
