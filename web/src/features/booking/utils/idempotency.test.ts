import { IdempotencyKeys } from './idempotency';

const request = {
  service_id: 'svc-1',
  staff_id: null,
  time: '2030-01-07T09:00:00+01:00',
  customer_info: { name: 'Ada', email: 'ada@example.com', phone: null },
  note: null,
};

describe('IdempotencyKeys', () => {
  it('keeps one key while the booking is the same, whatever CAPTCHA token each attempt carries', () => {
    const keys = new IdempotencyKeys();
    const first = keys.keyFor({ ...request, captcha_token: 'token-1' });
    expect(keys.keyFor({ ...request, captcha_token: 'token-2' })).toBe(first);
    expect(keys.keyFor(request)).toBe(first);
  });

  it.each([
    ['service', { service_id: 'svc-2' }],
    ['staff member', { staff_id: 'staff-1' }],
    ['time', { time: '2030-01-07T10:00:00+01:00' }],
    ['customer', { customer_info: { name: 'Grace', email: 'ada@example.com', phone: null } }],
    ['note', { note: 'Short, please' }],
  ])('renews the key when the %s changes', (_what, change) => {
    const keys = new IdempotencyKeys();
    const first = keys.keyFor(request);
    expect(keys.keyFor({ ...request, ...change })).not.toBe(first);
  });

  it('renews the key after a booking succeeded', () => {
    const keys = new IdempotencyKeys();
    const first = keys.keyFor(request);
    keys.forget();
    expect(keys.keyFor(request)).not.toBe(first);
  });
});
