import { useState } from 'react';
import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import type { BusinessProfile } from '@/lib/session';
import { useUpdateProfile, type ProfileChanges } from '../api/profile';
import { useFormSave, type FormSaveOptions } from './use-form-save';

/**
 * A settings section that saves part of the profile: after a save the form holds what the API
 * kept, and `saved` says so until the owner changes something again.
 */
export function useProfileSection<T extends FieldValues>(
  form: UseFormReturn<T>,
  valuesOf: (profile: BusinessProfile) => T,
  fields: readonly Path<T>[],
  options?: FormSaveOptions<T>,
) {
  const update = useUpdateProfile();
  const [saved, setSaved] = useState(false);
  const { problem, save } = useFormSave(form.setError, fields, options);

  const submit = (changes: ProfileChanges) => {
    setSaved(false);
    return save(async () => {
      form.reset(valuesOf(await update.mutateAsync(changes)));
      setSaved(true);
    });
  };

  return {
    submit,
    problem,
    saved: saved && !form.formState.isDirty,
    dismissSaved: () => setSaved(false),
  };
}
