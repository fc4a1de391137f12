export { api, unwrap } from './client';
export { ApiError, describeError, isApiError, parseProblem } from './problem';
export type { FieldError } from './problem';
export type * from './types';
export type { components } from './schema';
