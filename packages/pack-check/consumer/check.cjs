// CommonJS consumer of the installed tarballs (Node's "require" condition): every entry point loads and has its
// export, and the cpu backend initialises through the CJS build.
const entries = require('./entries.json');

async function main() {
  for (const [specifier, name] of Object.entries(entries)) {
    const mod = require(specifier);
    if (typeof mod[name] !== 'function') throw new Error(`${specifier}: expected a function export ${name}, got ${typeof mod[name]}`);
  }
  const { initBackend } = require('@bertkit/backend');
  const choice = await initBackend({ backend: 'cpu' });
  if (choice.backend !== 'cpu') throw new Error(`initBackend({ backend: 'cpu' }): expected cpu, got ${choice.backend}`);
  console.log(`cjs: ${Object.keys(entries).length} entry points; initBackend({ backend: 'cpu' }) -> ${choice.backend}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
