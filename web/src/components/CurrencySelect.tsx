import { Select } from '@mantine/core';
import { useMemo } from 'react';
import { currencyOptions } from '@/lib/money';

interface CurrencySelectProps {
  value: string;
  onChange: (code: string) => void;
  onBlur?: () => void;
  error?: string;
  description?: string;
}

/** The currency a business's prices are in: a searchable list of common ISO 4217 codes. */
export function CurrencySelect({ value, onChange, onBlur, error, description }: CurrencySelectProps) {
  const options = useMemo(() => currencyOptions(value), [value]);
  return (
    <Select
      label="Currency"
      description={description ?? 'Your prices are shown in this currency'}
      data={options}
      searchable
      required
      allowDeselect={false}
      value={value}
      onChange={(code) => onChange(code ?? '')}
      onBlur={onBlur}
      error={error}
    />
  );
}
