// Maps every failure to `{error: {code, message, field, type, param}}`: ApiError as thrown, Fastify's validation /
// body-size / media-type errors, and the libraries' typed input errors (400). Anything else is a 500 `internal`
// (logged), never a crash. Routes registered with `config: {dialect: 'tei'}` answer TEI's `{error, error_type}`
// with TEI's status codes instead (tei/tei-errors.ts).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errorBody } from './errors.js';
import { teiError } from './routes/tei/tei-errors.js';

const INPUT_ERRORS = new Set(['TokenizerConfigError', 'TaskInputError', 'HeadConfigError', 'SquadPostprocessError', 'BertInputError']);

/** `/input/3` → `input[3]`. */
function fieldOf(path: string, extra?: string): string | null {
  const parts = path.split('/').filter((p) => p.length > 0);
  if (extra) parts.push(extra);
  if (parts.length === 0) return null;
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function handleError(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  const tei = (req.routeOptions.config as { dialect?: string } | undefined)?.dialect === 'tei';
  const send = (status: number, code: string, message: string, field: string | null, headers: Record<string, string> = {}) => {
    if (tei) {
      const t = teiError(status, code, message);
      void reply.code(t.status).headers(headers).type('application/json').send(t.body);
      return;
    }
    void reply.code(status).headers(headers).type('application/json').send(errorBody(code, message, field, status));
  };
  if (err instanceof ApiError) return send(err.status, err.code, err.message, err.field, err.headers);
  const fe = err as FastifyError;
  if (fe.validation && fe.validation.length > 0) {
    const v = fe.validation[0];
    const params = v.params as { missingProperty?: string; additionalProperty?: string };
    const field = fieldOf(v.instancePath, params.missingProperty ?? params.additionalProperty);
    const detail = params.additionalProperty ? `unknown field ${params.additionalProperty}` : (v.message ?? 'invalid').replace(/must be (\w+),(\w+)/, 'must be $1 or $2');
    return send(400, 'invalid_request', `${field ?? 'body'}: ${detail}`, field);
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(413, 'body_too_large', `request body larger than the limit of ${req.routeOptions.config && reply.server.initialConfig.bodyLimit} bytes`, null);
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return send(415, 'unsupported_media_type', `content-type ${JSON.stringify(req.headers['content-type'] ?? null)}: expected application/json`, null);
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return send(400, 'invalid_json', 'expected a JSON body, got an empty one', null);
  if (err.name === 'TokenizerConfigError') return send(400, 'tokenizer', err.message, null);
  if (INPUT_ERRORS.has(err.name)) return send(400, 'invalid_request', err.message, null);
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return send(fe.statusCode, 'bad_request', err.message, null);
  req.log.error(err);
  send(500, 'internal', `internal error: ${err.message}`, null);
}
