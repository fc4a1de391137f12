import { NumberInput, type NumberInputProps } from '@mantine/core';
import { Controller, type Control, type FieldPath, type FieldValues } from 'react-hook-form';

/** A NumberInput's value as a form holds it: a number, or '' while the input is empty. */
export function numberOrEmpty(value: number | string): number | '' {
  return typeof value === 'number' ? value : value === '' ? '' : Number(value);
}

export type NumberFieldProps<T extends FieldValues, Transformed = T> = Omit<
  NumberInputProps,
  'name' | 'value' | 'onChange' | 'onBlur' | 'error'
> & {
  control: Control<T, unknown, Transformed>;
  name: FieldPath<T>;
};

/** A NumberInput bound to a number of the form, with the field's error. */
export function NumberField<T extends FieldValues, Transformed = T>({
  control,
  name,
  ...props
}: NumberFieldProps<T, Transformed>) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <NumberInput
          {...props}
          name={field.name}
          ref={field.ref}
          value={field.value}
          onChange={(value) => field.onChange(numberOrEmpty(value))}
          onBlur={field.onBlur}
          error={fieldState.error?.message}
        />
      )}
    />
  );
}
