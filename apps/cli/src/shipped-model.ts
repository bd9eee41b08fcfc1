// Where the repository's shipped files are: models/english (the pre-trained English BERT) and ../shared/data/glue
// (licence-restricted GLUE data beside a checkout, present in CI). Looked up from the working directory and from
// the CLI's own location, so `pnpm main` and `node apps/cli/dist/bin.js` both find them.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function* upwards(start: string): Generator<string> {
  let dir = resolve(start);
  for (;;) {
    yield dir;
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

function findUp(relative: string, marker: string): string | null {
  const starts = [process.cwd(), ...(process.argv[1] ? [dirname(process.argv[1])] : [])];
  for (const s of starts) for (const d of upwards(s)) if (existsSync(join(d, relative, marker))) return join(d, relative);
  return null;
}

/** models/english of the repository (a directory with config.json), or null. */
export function findShippedModel(): string | null {
  return findUp(join('models', 'english'), 'config.json');
}

/** A GLUE directory: $BERTKIT_GLUE, else ../shared/data/glue beside the repository, or null. */
export function findGlueDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.BERTKIT_GLUE) return env.BERTKIT_GLUE;
  return findUp(join('..', 'shared', 'data', 'glue'), 'SST-2');
}
