// `--backend`, `--verbose` and `--wasm-threads` of every command that runs a model: the library's one default (a real GPU, then
// wasm, then cpu; software GPUs only when named) unless a backend is named; one stderr line says what was chosen.
import { BACKEND_NAMES, initBackend, type BackendChoice, type BackendName } from '@bertkit/backend';
import { choice, flag, int } from './args.js';
import type { Io, OptionSpec } from './command.js';

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export const BACKEND_OPTIONS: Record<string, OptionSpec> = {
  backend: { type: 'string', description: `${BACKEND_NAMES.join(' | ')} (default: a GPU adapter, else wasm, else cpu; a software GPU only when named)`, valueName: 'name' },
  verbose: { type: 'boolean', description: 'also print the GPU driver\'s own messages and why each backend was or was not chosen' },
  'wasm-threads': { type: 'string', description: "wasm: XNNPACK threads on worker_threads (a number, or 'cores'; default 1)", valueName: 'n' },
};

/** `--wasm-threads`: a count >= 1 or 'cores'; undefined when absent. */
export function wasmThreadsArg(values: Values): number | 'cores' | undefined {
  const raw = values['wasm-threads'];
  if (raw === undefined) return undefined;
  if (raw === 'cores') return 'cores';
  return int(values, 'wasm-threads', 1, { min: 1 });
}

/** One line: the backend, its adapter, and why a preferred one was passed over (e.g. a software GPU). */
export function describeChoice(c: BackendChoice): string {
  const adapter = c.adapterInfo ? ` (${c.adapterInfo.description || c.adapterInfo.device || c.adapterInfo.vendor})` : '';
  const skipped = c.backend !== 'webgpu' && c.reasons.webgpu?.startsWith('skipped') ? `; webgpu ${c.reasons.webgpu}` : '';
  return `backend: ${c.backend}${adapter}${skipped}${c.notice ? `; ${c.notice}` : ''}`;
}

/** Initialises the backend `--backend` names (or the default) and reports the choice on stderr. */
export async function initBackendArg(values: Values, io: Io): Promise<BackendChoice> {
  const verbose = flag(values, 'verbose');
  const named = values.backend === undefined ? undefined : choice<BackendName>(values, 'backend', BACKEND_NAMES, 'cpu');
  const wasmThreads = wasmThreadsArg(values);
  const c = await initBackend({ ...(named ? { backend: named } : {}), verbose, ...(wasmThreads !== undefined ? { wasmThreads } : {}) });
  io.stderr.write(`${describeChoice(c)}\n`);
  if (verbose) for (const [name, why] of Object.entries(c.reasons)) io.stderr.write(`  ${name}: ${why}\n`);
  return c;
}
