import { ApiError, describeError, parseProblem } from './problem';
import { unwrap } from './client';

describe('parseProblem', () => {
  it('reads a problem+json body with the API’s field errors', () => {
    const error = parseProblem(422, {
      type: 'about:blank',
      title: 'Validation failed',
      status: 422,
      detail: 'Some fields are invalid',
      errors: [{ field: 'customer_info.phone', location: 'body', message: 'not international', type: 'value_error' }],
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.title).toBe('Validation failed');
    expect(error.detail).toBe('Some fields are invalid');
    expect(error.fieldErrors).toEqual([{ field: 'customer_info.phone', message: 'not international' }]);
  });

  it('reads field errors in the {loc, msg} shape, without the location part', () => {
    const error = parseProblem(422, { title: 'Validation failed', errors: [{ loc: ['body', 'note'], msg: 'too long' }] });
    expect(error.fieldErrors).toEqual([{ field: 'note', message: 'too long' }]);
  });

  it('copes with a body that is not a problem at all', () => {
    const error = parseProblem(502, undefined);
    expect(error.title).toBe('Server error');
    expect(error.detail).toBeNull();
    expect(error.fieldErrors).toEqual([]);
  });

  it('reads FastAPI’s plain {detail} answers', () => {
    expect(parseProblem(404, { detail: 'Not Found' }).detail).toBe('Not Found');
  });
});

describe('describeError', () => {
  it('shows the API’s detail for a client error, a calm sentence for a server error', () => {
    expect(describeError(parseProblem(409, { title: 'Conflict', detail: 'The time is not free' }))).toBe(
      'The time is not free',
    );
    expect(describeError(parseProblem(500, { title: 'Internal server error', detail: 'Traceback…' }))).toMatch(
      /on our side/,
    );
  });
});

describe('unwrap', () => {
  const ok = (status: number) => new Response(null, { status });

  it('returns the data of a successful answer', async () => {
    await expect(unwrap(Promise.resolve({ data: { id: 1 }, response: ok(200) }))).resolves.toEqual({ id: 1 });
  });

  it('throws the problem of a failed answer', async () => {
    const failed = unwrap(Promise.resolve({ error: { title: 'Conflict', detail: 'Taken' }, response: ok(409) }));
    await expect(failed).rejects.toMatchObject({ status: 409, detail: 'Taken' });
  });

  it('throws a network error when no answer came', async () => {
    await expect(unwrap(Promise.reject(new TypeError('Failed to fetch')))).rejects.toMatchObject({
      status: 0,
      isNetworkError: true,
    });
  });
});
