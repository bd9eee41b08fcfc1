// The TEI-compatible routes (HF text-embeddings-inference's HTTP API), in the order /openapi.json lists them.
import type { RouteDef } from '../route-def.js';
import { embedAllRoute, embedRoute } from './embed.js';
import { predictRoute } from './predict.js';
import { teiDecodeRoute, teiTokenizeRoute } from './tokenize.js';

export const teiRoutes: RouteDef[] = [embedRoute, embedAllRoute, predictRoute, teiTokenizeRoute, teiDecodeRoute];

/** TEI's POST /: /predict when the served (first) model is a classifier, else /embed. */
export function teiRootRoute(firstIsClassifier: boolean): RouteDef {
  const r = firstIsClassifier ? predictRoute : embedRoute;
  return { ...r, url: '/', operationId: 'teiRoot', summary: `TEI's default route: ${r.url} for the served model (what @huggingface/inference posts to an endpointUrl)` };
}
