import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from './api';

/**
 * Puts the API's per-field refusals (problem+json `errors`) next to the form's own fields.
 * Returns true when at least one landed on a field; the caller shows the rest as one alert.
 * `aliases` maps an API field name to the form's when the two differ.
 */
export function showFieldErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
  aliases: Partial<Record<string, Path<T>>> = {},
): boolean {
  if (!(error instanceof ApiError)) return false;
  let placed = false;
  for (const { field, message } of error.fieldErrors) {
    const name = aliases[field] ?? (fields.includes(field as Path<T>) ? (field as Path<T>) : undefined);
    if (name) {
      setError(name, { type: 'server', message }, { shouldFocus: !placed });
      placed = true;
    }
  }
  return placed;
}
