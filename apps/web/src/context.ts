// What every view shares: the chosen backend and the loaded model. Views subscribe and re-render on change.
import type { BackendChoice } from '@bertkit/backend';
import type { AppModel } from './model-loader';

export class AppContext {
  backend: BackendChoice | null = null;
  model: AppModel | null = null;
  private readonly listeners = new Set<() => void>();

  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  changed(): void {
    for (const fn of this.listeners) fn();
  }

  setModel(m: AppModel | null): void {
    if (this.model && this.model !== m) this.model.dispose();
    this.model = m;
    this.changed();
  }
}
