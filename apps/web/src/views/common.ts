import type { AppContext } from '../context';
import type { AppModel } from '../model-loader';
import { h } from '../ui';

/** The view's body when a model is loaded, else a hint. */
export function withModel(ctx: AppContext, body: (m: AppModel) => HTMLElement): HTMLElement {
  if (!ctx.model) return h('div', { class: 'hint' }, 'Load a model above (the shipped English model loads by default).');
  return body(ctx.model);
}

/** Colour of token i (golden-angle hues: neighbours always differ). Segment B uses a cooler, darker range. */
export function tokenColour(i: number, segment = 0): string {
  const hue = (i * 137.508) % 360;
  return segment === 0 ? `hsl(${hue.toFixed(0)} 85% 86%)` : `hsl(${hue.toFixed(0)} 60% 76%)`;
}

export function card(title: string, ...children: (Node | string | null)[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}
