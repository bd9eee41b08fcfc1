// The inference routes, in the order /openapi.json lists them.
import { classifyRoute } from './classify.js';
import { embeddingsRoute } from './embeddings.js';
import { fillMaskRoute } from './fill-mask.js';
import { multipleChoiceRoute } from './multiple-choice.js';
import { nerRoute } from './ner.js';
import { qaRoute } from './qa.js';
import type { RouteDef } from './route-def.js';
import { tokenizeRoute } from './tokenize.js';

export const inferenceRoutes: RouteDef[] = [tokenizeRoute, embeddingsRoute, fillMaskRoute, classifyRoute, qaRoute, nerRoute, multipleChoiceRoute];
