// The views, in tab order. Each is one file with a `render(ctx)` that builds its DOM from the current model.
import type { AppContext } from '../context';
import { attentionView } from './attention-view';
import { embeddingsView } from './embeddings-view';
import { fillMaskView } from './fill-mask-view';
import { finetuneView } from './finetune-view';
import { tasksView } from './tasks-view';
import { tokenizerView } from './tokenizer-view';
import { trainView } from './train-view';

export interface View {
  id: string;
  title: string;
  render(ctx: AppContext): HTMLElement;
}

export const VIEWS: View[] = [tokenizerView, fillMaskView, attentionView, embeddingsView, tasksView, trainView, finetuneView];
