// The shell: header with the backend picker, the model source panel, and one tab per view. URL parameters
// `?backend=wasm&model=<url>&view=fill-mask` pick the initial state (used by `bert serve` links and the tests).
import './style.css';
import type { BackendName } from '@bertkit/backend';
import { backendPicker } from './backend-picker';
import { AppContext } from './context';
import { buildModel } from './model-loader';
import { BUNDLED_LABEL, BUNDLED_MODEL, BUNDLED_SOURCE, modelPanel } from './model-panel';
import { fetchModelFiles, type ModelFiles } from './model-files';
import { h, mount, errorBox, nextFrame } from './ui';
import { VIEWS } from './views';

const params = new URLSearchParams(location.search);
const ctx = new AppContext();
const app = document.getElementById('app')!;

async function load(files: ModelFiles, label: string): Promise<void> {
  await nextFrame();
  ctx.setModel(buildModel(files, label));
}

let first = true;
const picker = backendPicker({
  initial: (params.get('backend') as BackendName | null) ?? 'auto',
  onChosen: async (choice) => {
    ctx.backend = choice;
    if (first) {
      first = false;
      const url = params.get('model');
      const files = await fetchModelFiles(url ?? BUNDLED_MODEL, url ?? BUNDLED_SOURCE);
      await load(files, url ? 'from URL' : BUNDLED_LABEL);
    } else if (ctx.model) {
      // weights live on the old backend: rebuild the model from its files on the new one
      await load(ctx.model.files, ctx.model.label);
    } else ctx.changed();
  },
});

const tabs = h('nav', { class: 'tabs', role: 'tablist' });
const viewBox = h('main', { class: 'view' });
let current = params.get('view') ?? VIEWS[0].id;

function show(id: string): void {
  current = id;
  for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.view === id));
  const v = VIEWS.find((x) => x.id === id) ?? VIEWS[0];
  try {
    mount(viewBox, v.render(ctx));
  } catch (e) {
    mount(viewBox, errorBox(e));
  }
}
for (const v of VIEWS) tabs.append(h('button', { role: 'tab', 'data-view': v.id, id: `tab-${v.id}`, onclick: () => show(v.id) }, v.title));
ctx.onChange(() => show(current));

mount(
  app,
  h('header', {},
    h('div', { class: 'brand' }, h('span', { class: 'logo' }, 'bertkit'), h('span', { class: 'tagline' }, 'BERT in your browser — run, inspect, train')),
    picker,
  ),
  modelPanel({ ctx, load }),
  tabs,
  viewBox,
  h('footer', {}, 'Devlin et al. 2018, BERT: Pre-training of Deep Bidirectional Transformers — implemented in TypeScript on tfjs.'),
);
show(current);
