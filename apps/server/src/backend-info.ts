// How the server names its backend in the startup log and /readyz: the backend, the WebGPU adapter, the notice.
import type { BackendChoice } from '@bertkit/backend';

/** The adapter's name as its driver gives it ('llvmpipe (LLVM 15.0.6, 256 bits)', 'NVIDIA H200'). */
export function adapterName(a: NonNullable<BackendChoice['adapterInfo']>): string {
  return a.device || a.description || a.vendor || 'unnamed adapter';
}

/** "webgpu on 'llvmpipe (LLVM 15, 256 bits)' (software); <notice>": the backend, its adapter and its notice. */
export function describeBackendChoice(choice: BackendChoice): string {
  const a = choice.adapterInfo;
  const adapter = a ? ` on '${adapterName(a)}'${a.software ? ' (software)' : ''}` : '';
  return `${choice.backend}${adapter}${choice.notice ? `; ${choice.notice}` : ''}`;
}
