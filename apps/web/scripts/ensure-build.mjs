/* global URL, console */
// `pnpm test` / screenshots / measure run against the BUILT app: build it first when dist/ is missing.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

if (!existsSync(new URL('../dist/index.html', import.meta.url))) {
  console.log('apps/web: dist/ missing, running vite build');
  execSync('pnpm exec vite build', { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
}
