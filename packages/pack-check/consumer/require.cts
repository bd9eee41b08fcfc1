// A CommonJS TypeScript consumer that uses `import = require()` (compiled with --module node16 by pack-check.sh):
// with ESM-only declarations tsc fails here with TS1471.
import backend = require('@bertkit/backend');
import heads = require('@bertkit/heads/node');

export const entryPoints = [backend.initBackend, heads.readSquadFile] as const;
