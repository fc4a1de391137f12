import { useState } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { isApiError } from '@/lib/api';
import { placeFieldErrors } from '../utils/form-errors';

/** Why the last save failed, for <SaveProblem>: the error and the fields its messages went to. */
export interface SaveFailure {
  error: unknown;
  placed: string[];
}

export interface FormSaveOptions<T extends FieldValues> {
  /** API field names the form calls otherwise, e.g. { working_hours: 'week' }. */
  aliases?: Partial<Record<string, Path<T>>>;
  /** The field a refusal concerns when the API names none (by its status or title); only fields of the form count. */
  refusedField?: (error: unknown) => string | null;
}

/**
 * Runs a form's save and keeps why it failed: the API's refusals go next to the fields they
 * concern, worded for people, and `problem` holds the rest for <SaveProblem>.
 */
export function useFormSave<T extends FieldValues>(
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
  { aliases, refusedField }: FormSaveOptions<T> = {},
) {
  const [problem, setProblem] = useState<SaveFailure | null>(null);
  const isField = (name: string | null | undefined): name is Path<T> =>
    !!name && (fields as readonly string[]).includes(name);

  const save = async (action: () => Promise<unknown>): Promise<void> => {
    setProblem(null);
    try {
      await action();
    } catch (error) {
      const field = refusedField?.(error);
      if (isField(field) && isApiError(error)) {
        setError(field, { type: 'server', message: error.detail ?? error.title }, { shouldFocus: true });
        return;
      }
      setProblem({ error, placed: placeFieldErrors(error, setError, fields, aliases) });
    }
  };

  return { problem, save };
}
