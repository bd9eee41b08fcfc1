// Backend picker. 'auto' is @bertkit/backend's default (`initBackend()` with DEFAULT_PREFERENCE: a real GPU through
// WebGPU first, then wasm, then plain JS; a software WebGPU adapter such as SwiftShader is skipped because it is
// slower than wasm). Naming 'webgpu' uses whatever adapter there is, software included, with the library's notice.
// The status line says which backend runs, on which adapter, and why WebGPU was not used.
import { describeBackend, initBackend, type BackendChoice, type BackendName } from '@bertkit/backend';
import { h, mount, errorBox } from './ui';

export const BROWSER_BACKENDS: BackendName[] = ['webgpu', 'wasm', 'cpu'];

export type BackendPick = BackendName | 'auto';

/** Where the tfjs wasm binaries are served (copied into dist/wasm/ by vite.config.ts). */
export function wasmPaths(): string {
  return new URL('wasm/', document.baseURI).href;
}

export async function chooseBackend(pick: BackendPick): Promise<BackendChoice> {
  const wasm = wasmPaths();
  return pick === 'auto' ? initBackend({ wasmPaths: wasm }) : initBackend({ backend: pick, wasmPaths: wasm });
}

/** Why WebGPU was not used, when it was tried ('not tried' / 'not in the preference list' say nothing). */
export function webGpuSkipped(choice: BackendChoice): string | undefined {
  const why = choice.reasons.webgpu;
  return why === undefined || why.startsWith('not ') ? undefined : why;
}

/** One line for the header: the backend, the WebGPU adapter or why WebGPU was not used, and the library's notice. */
export async function statusLine(choice: BackendChoice, pick: BackendPick): Promise<string> {
  const how = pick === 'auto' ? 'auto → ' : '';
  if (choice.backend === 'webgpu') {
    const a = choice.adapterInfo;
    const name = a ? [a.vendor, a.architecture, a.device, a.description].filter((s) => s).join(' ') : '';
    const adapter = `WebGPU on ${name || 'an unnamed adapter'}${a ? ` (${a.featureLevel}${a.software ? ', software' : ''})` : ''}`;
    return `${how}${adapter}${choice.notice ? ` — ${choice.notice}` : ''}`;
  }
  const report = await describeBackend();
  const extra = report.wasm ? ` (SIMD ${report.wasm.simd ? 'on' : 'off'}, threads ${report.wasm.threads ? 'on' : 'off'})` : '';
  const why = webGpuSkipped(choice);
  return `${how}${choice.backend}${extra}${why ? ` — WebGPU not used: ${why}` : ''}${choice.notice ? ` — ${choice.notice}` : ''}`;
}

export interface BackendPickerOptions {
  initial: BackendPick;
  /** Called after a backend is initialised (the app rebuilds the model on it). */
  onChosen: (choice: BackendChoice) => Promise<void>;
}

export function backendPicker(o: BackendPickerOptions): HTMLElement {
  const select = h('select', { id: 'backend', 'aria-label': 'backend' }, h('option', { value: 'auto' }, 'auto'), ...BROWSER_BACKENDS.map((b) => h('option', { value: b }, b)));
  select.value = o.initial;
  const status = h('span', { id: 'backend-status', class: 'status', 'data-state': 'pending' }, 'detecting…');
  const apply = async () => {
    const pick = select.value as BackendPick;
    select.disabled = true;
    status.dataset.state = 'pending';
    mount(status, `initialising ${pick}…`);
    try {
      const choice = await chooseBackend(pick);
      await o.onChosen(choice);
      // every backend's reason on hover: what was tried and why it was not taken
      status.title = Object.entries(choice.reasons).map(([b, r]) => `${b}: ${r}`).join('\n');
      mount(status, h('b', { class: 'pill' }, choice.backend), ' ', await statusLine(choice, pick));
      status.dataset.state = 'ready';
      status.dataset.backend = choice.backend;
      status.dataset.pick = pick;
      if (choice.adapterInfo) status.dataset.software = String(choice.adapterInfo.software);
      else delete status.dataset.software;
      const skipped = webGpuSkipped(choice);
      if (skipped) status.dataset.webgpuSkipped = skipped;
      else delete status.dataset.webgpuSkipped;
    } catch (e) {
      mount(status, errorBox(e));
      status.dataset.state = 'error';
    } finally {
      select.disabled = false;
    }
  };
  select.addEventListener('change', () => void apply());
  queueMicrotask(() => void apply());
  return h('div', { class: 'backend' }, h('label', { for: 'backend' }, 'Backend'), select, status);
}
