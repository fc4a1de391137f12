import { countryOptions, toE164 } from './phone';

describe('toE164', () => {
  it('combines a national number with the chosen country', () => {
    expect(toE164('DE', '0170 1234567')).toEqual({ ok: true, e164: '+491701234567' });
    expect(toE164('US', '(201) 555-0123')).toEqual({ ok: true, e164: '+12015550123' });
  });

  it('keeps a number typed with its own country code', () => {
    expect(toE164('DE', '+44 20 7946 0958')).toEqual({ ok: true, e164: '+442079460958' });
    expect(toE164(null, '+49 170 1234567')).toEqual({ ok: true, e164: '+491701234567' });
  });

  it('refuses a number that cannot be valid', () => {
    expect(toE164('DE', '123')).toMatchObject({ ok: false });
    expect(toE164('DE', 'call me')).toMatchObject({ ok: false });
  });

  it('asks for a country when a national number has none', () => {
    expect(toE164(null, '0170 1234567')).toMatchObject({ ok: false, message: expect.stringMatching(/country/) });
  });
});

describe('countryOptions', () => {
  it('names countries with their calling codes', () => {
    const germany = countryOptions('en').find((option) => option.value === 'DE');
    expect(germany?.label).toBe('Germany (+49)');
  });
});
