import { customerDetailsSchema, formFieldOf, toCustomerInfo } from './customer-details';

const base = { name: 'Ada Lovelace', email: '', phoneCountry: 'DE', phone: '', note: '' };

describe('customerDetailsSchema', () => {
  it('wants an email address or a phone number', () => {
    const result = customerDetailsSchema.safeParse(base);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['email']);
  });

  it('accepts a phone number alone, sent in E.164', () => {
    const result = customerDetailsSchema.safeParse({ ...base, phone: '0170 1234567' });
    expect(result.success).toBe(true);
    expect(result.data && toCustomerInfo(result.data)).toEqual({
      name: 'Ada Lovelace',
      email: null,
      phone: '+491701234567',
    });
  });

  it('refuses a name on two lines and an invalid phone number', () => {
    const result = customerDetailsSchema.safeParse({ ...base, name: 'Ada\nLovelace', phone: '12' });
    expect(result.error?.issues.map((issue) => issue.path[0]).sort()).toEqual(['name', 'phone']);
  });

  it('keeps line breaks in a note', () => {
    expect(customerDetailsSchema.safeParse({ ...base, email: 'ada@example.com', note: 'Line 1\nLine 2' }).success).toBe(
      true,
    );
  });
});

describe('formFieldOf', () => {
  it('maps the API’s field paths to the form’s fields', () => {
    expect(formFieldOf('customer_info.phone')).toBe('phone');
    expect(formFieldOf('note')).toBe('note');
    expect(formFieldOf('time')).toBeNull();
  });
});
