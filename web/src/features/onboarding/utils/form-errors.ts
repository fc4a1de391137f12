import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from '@/lib/api';
import { showFieldErrors } from '@/lib/forms';

/** Pydantic starts its own messages with "Value error, "; the owner needs only the rest. */
export function tidyMessage(message: string): string {
  const text = message.replace(/^Value error, /, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The API's field errors next to the form's fields (showFieldErrors), worded for people.
 * Returns the fields that got one, so the form's alert can leave those out.
 */
export function placeFieldErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
  aliases: Partial<Record<string, Path<T>>> = {},
): string[] {
  if (!(error instanceof ApiError)) return [];
  const tidied = new ApiError(
    error.status,
    error.title,
    error.detail,
    error.fieldErrors.map((fieldError) => ({ ...fieldError, message: tidyMessage(fieldError.message) })),
  );
  showFieldErrors(tidied, setError, fields, aliases);
  return tidied.fieldErrors
    .map((fieldError) => fieldError.field)
    .filter((field) => aliases[field] !== undefined || fields.includes(field as Path<T>));
}

/** Reads a nested react-hook-form error's message by path, e.g. ["week", 0, 1, "start"]. */
export function errorMessageAt(errors: unknown, path: readonly (string | number)[]): string | undefined {
  let node: unknown = errors;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  if (typeof node !== 'object' || node === null) return undefined;
  const message = (node as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}
