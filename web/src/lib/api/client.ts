import createClient, { type Middleware } from 'openapi-fetch';
import { accessToken, endSession } from '@/lib/session/store';
import type { paths } from './schema';
import { networkError, parseProblem } from './problem';

/**
 * Same origin: the API process serves this app, so paths start with /api/v1. `fetch` is
 * looked up per call, not captured once, so tests can stand in for the network.
 */
export const api = createClient<paths>({ baseUrl: '', fetch: (request) => globalThis.fetch(request) });

/**
 * Owner requests carry the session's token. A 401 to a request that carried one means the
 * token expired or was revoked (password reset, deactivated login): the session ends and
 * the owner pages send the owner back to sign-in with that reason.
 */
const bearerAuth: Middleware = {
  onRequest({ request }) {
    const token = accessToken();
    if (token && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.get('Authorization') === `Bearer ${accessToken()}`) {
      endSession('expired');
    }
    return response;
  },
};
api.use(bearerAuth);

type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError built from the
 * problem+json body (or a network error when no answer came). TanStack Query takes it from there.
 */
export async function unwrap<T>(request: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request;
  } catch (cause) {
    throw networkError(cause);
  }
  if (!result.response.ok) throw parseProblem(result.response.status, result.error);
  return result.data as T;
}
