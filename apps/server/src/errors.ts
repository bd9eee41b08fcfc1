// The one error shape of the API: `{error: {code, message, field}}` with a 4xx status for bad input. Route code
// throws ApiError; the server's error handler maps Fastify's own errors (validation, body size, content type) to it.

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
  error: { code: string; message: string; field: string | null };
}

export function errorBody(code: string, message: string, field: string | null): ErrorBody {
  return { error: { code, message, field } };
}
