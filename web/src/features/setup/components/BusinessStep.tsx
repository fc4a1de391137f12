import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { FormProvider, useForm } from 'react-hook-form';
import type { BusinessProfile } from '@/lib/session';
import { useUpdateProfile } from '../api/profile';
import { useFormSave } from '../hooks/use-form-save';
import { businessDetailsChanges, businessDetailsOf, refusedProfileField } from '../utils/business-details';
import { businessDetailsSchema, type BusinessDetailsValues } from '../utils/schemas';
import { BusinessDetailsFields } from './BusinessDetailsFields';
import { SaveProblem } from './Feedback';

const FIELDS = ['name', 'timezone', 'currency', 'address', 'country'] as const;

/** Step 1: the name, time zone and address customers see. */
export function BusinessStep({ profile, onDone }: { profile: BusinessProfile; onDone: () => void }) {
  const update = useUpdateProfile();
  const form = useForm<BusinessDetailsValues>({
    resolver: zodResolver(businessDetailsSchema),
    mode: 'onTouched',
    defaultValues: businessDetailsOf(profile),
  });
  const { problem, save } = useFormSave(form.setError, FIELDS, { refusedField: refusedProfileField });

  const submit = (values: BusinessDetailsValues) =>
    save(async () => {
      await update.mutateAsync(businessDetailsChanges(values));
      onDone();
    });

  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          Tell customers who you are
        </Title>
        <Text size="sm" c="dimmed">
          Your booking page shows this, and so do confirmations and reminders.
        </Text>
      </div>
      <FormProvider {...form}>
        <form onSubmit={form.handleSubmit(submit)} noValidate aria-label="Your business">
          <Stack gap="md">
            <BusinessDetailsFields
              profile={profile}
              addressHint="Where customers come to; leave empty if you work online or visit them"
              countryHint="Customers' phone numbers are read as numbers of this country"
            />
            {problem && <SaveProblem {...problem} />}
            <Group>
              <Button type="submit" loading={form.formState.isSubmitting}>
                Save and continue
              </Button>
            </Group>
          </Stack>
        </form>
      </FormProvider>
    </Stack>
  );
}
