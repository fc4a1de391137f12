export { api, unwrap } from './client';
export type { ApiPaths } from './client';
export { ApiError, describeError, isApiError, parseProblem } from './problem';
export type { FieldError } from './problem';
export type * from './pending-contract';
