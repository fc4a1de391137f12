/** RFC 9457 problem+json answers from the API, as one typed error the pages can show. */

export interface FieldError {
  /** Dotted path of the offending field, e.g. "customer_info.phone". */
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | null;
  readonly fieldErrors: FieldError[];

  constructor(status: number, title: string, detail: string | null, fieldErrors: FieldError[] = []) {
    super(detail ?? title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.fieldErrors = fieldErrors;
  }

  /** True for a network failure, where no answer came back at all. */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

const GENERIC_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  422: 'Some fields are invalid',
  429: 'Too many requests',
};

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * Field errors come as `{field, message}` from the API's own handler and as `{loc, msg}`
 * (the contract's and FastAPI's default shape); both are accepted. The leading "body" /
 * "query" part of a `loc` is dropped so names match the request's fields.
 */
function parseFieldErrors(errors: unknown): FieldError[] {
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((raw): FieldError[] => {
    const item = asRecord(raw);
    if (!item) return [];
    const message = text(item.message) ?? text(item.msg) ?? 'Invalid value';
    if (typeof item.field === 'string') return [{ field: item.field, message }];
    if (Array.isArray(item.loc)) {
      const parts = item.loc.map(String);
      const withoutLocation = ['body', 'query', 'path', 'header'].includes(parts[0] ?? '') ? parts.slice(1) : parts;
      return [{ field: withoutLocation.join('.'), message }];
    }
    return [{ field: '', message }];
  });
}

/** Builds the error for a non-2xx answer, whatever its body turned out to be. */
export function parseProblem(status: number, body: unknown): ApiError {
  const problem = asRecord(body);
  const title = text(problem?.title) ?? GENERIC_TITLES[status] ?? (status >= 500 ? 'Server error' : 'Request failed');
  // FastAPI's plain errors put a string (or a list of field errors) in `detail`.
  const detail = text(problem?.detail);
  const fieldErrors = parseFieldErrors(problem?.errors ?? (Array.isArray(problem?.detail) ? problem?.detail : undefined));
  return new ApiError(status, title, detail, fieldErrors);
}

export function networkError(cause: unknown): ApiError {
  const error = new ApiError(0, 'No connection', 'The server could not be reached. Check your connection and try again.');
  error.cause = cause;
  return error;
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** A sentence for the visitor; the API's own detail when it has one. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
    if (error.status === 429) return 'Too many attempts in a short time. Please wait a minute and try again.';
    return error.detail ?? error.title;
  }
  return 'Something unexpected went wrong. Please try again.';
}
