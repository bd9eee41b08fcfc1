// Tiny DOM helpers: the app is plain TypeScript + DOM (no framework), so views stay small and the bundle light.
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, string | number | boolean | EventListener | undefined>;

/** h('div', { class: 'x', onclick: fn }, 'text', child) */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** Replaces the children of `el`. */
export function mount(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
}

/** Lets the browser paint (and handle input) between heavy steps. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`;
  return String(e);
}

/** A red box with the error in words. */
export function errorBox(e: unknown): HTMLElement {
  return h('div', { class: 'error', role: 'alert' }, errorText(e));
}

/** Runs `work` with the button disabled and errors shown in `out`. */
export async function busy(button: HTMLButtonElement, out: HTMLElement, work: () => Promise<void>): Promise<void> {
  button.disabled = true;
  const label = button.textContent;
  button.textContent = `${label} …`;
  try {
    await nextFrame();
    await work();
  } catch (e) {
    mount(out, errorBox(e));
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}
