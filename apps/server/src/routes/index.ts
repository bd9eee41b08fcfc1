// The inference routes, in the order /openapi.json lists them.
import { classifyRoute } from './classify.js';
import { embeddingsRoute } from './embeddings.js';
import { fillMaskRoute } from './fill-mask.js';
import { multipleChoiceRoute } from './multiple-choice.js';
import { nerRoute } from './ner.js';
import { qaRoute } from './qa.js';
import type { RouteDef } from './route-def.js';
import { tokenizeRoute } from './tokenize.js';

/** POST /embeddings: the OpenAI route without /v1, as TEI also serves it (an openai client whose baseURL is the root). */
const embeddingsAlias: RouteDef = { ...embeddingsRoute, url: '/embeddings', operationId: 'embeddingsUnversioned', summary: `${embeddingsRoute.summary}; the same as /v1/embeddings` };

export const inferenceRoutes: RouteDef[] = [tokenizeRoute, embeddingsRoute, embeddingsAlias, fillMaskRoute, classifyRoute, qaRoute, nerRoute, multipleChoiceRoute];
