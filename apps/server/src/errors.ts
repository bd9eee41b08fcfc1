// The one error shape of the /v1 API: `{error: {code, message, field, type, param}}` with a 4xx status for bad
// input. It is OpenAI's error object (`message`, `type`, `param`, `code`, which the openai clients read) plus our
// `field` (= `param`). Route code throws ApiError; the server's error handler maps Fastify's own errors
// (validation, body size, content type) to it. The TEI routes answer TEI's shape instead (tei/tei-errors.ts).

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Invalid server or model configuration (CLI flags, createServer options); the message names the field. */
export class ServerConfigError extends Error {
  override name = 'ServerConfigError';
  constructor(field: string, expected: string, actual: string) {
    super(`${field}: expected ${expected}, got ${actual}`);
  }
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    field: string | null;
    /** OpenAI's error type: `invalid_request_error` for 4xx, `server_error` for 5xx. */
    type: 'invalid_request_error' | 'server_error';
    /** OpenAI's name for `field`. */
    param: string | null;
  };
}

export function errorBody(code: string, message: string, field: string | null, status = 400): ErrorBody {
  return { error: { code, message, field, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: field } };
}
