// TEI's error body and status codes (text-embeddings-inference router/src/lib.rs ErrorType and
// router/src/http/server.rs `impl From<&ErrorType> for StatusCode`): `{error, error_type}` with
// Validation / Tokenizer → 422, Empty → 400, Overloaded → 429, Backend → 424, Unhealthy → 503. The TEI routes
// throw the same ApiError codes as the /v1 routes; this table turns each into TEI's answer.

export type TeiErrorType = 'Validation' | 'Tokenizer' | 'Empty' | 'Overloaded' | 'Backend' | 'Unhealthy';

export interface TeiErrorBody {
  error: string;
  error_type: TeiErrorType;
}

/** ApiError code → TEI status and type; codes not listed map by status (4xx Validation 422, 5xx Backend 424). */
const BY_CODE: Record<string, [number, TeiErrorType]> = {
  // input validation: schema errors, too many tokens / characters / inputs, bad prompt_name or dimensions
  invalid_request: [422, 'Validation'],
  input_too_long: [422, 'Validation'],
  tokenizer: [422, 'Tokenizer'],
  empty: [400, 'Empty'],
  // transport: kept as axum answers them (413 body limit, 415 content type, 400 malformed JSON)
  body_too_large: [413, 'Validation'],
  unsupported_media_type: [415, 'Validation'],
  invalid_json: [400, 'Validation'],
  invalid_utf8: [400, 'Validation'],
  unauthorized: [401, 'Validation'],
  // a route the served model has no head for (TEI: "Model is not a classifier model", 424)
  unsupported_operation: [424, 'Backend'],
  queue_full: [429, 'Overloaded'],
  timeout: [503, 'Overloaded'],
  shutting_down: [503, 'Unhealthy'],
};

export function teiError(status: number, code: string, message: string): { status: number; body: TeiErrorBody } {
  const [s, type] = BY_CODE[code] ?? (status >= 500 ? [424, 'Backend'] : [422, 'Validation']);
  const text = code === 'queue_full' ? `Model is overloaded (${message})` : type === 'Backend' ? `Backend error: ${message}` : message;
  return { status: s, body: { error: text, error_type: type } };
}
