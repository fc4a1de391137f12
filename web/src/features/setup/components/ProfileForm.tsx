import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { FormProvider, useForm, useWatch } from 'react-hook-form';
import type { BusinessProfile } from '@/lib/session';
import { useProfileSection } from '../hooks/use-profile-section';
import { businessDetailsChanges, businessDetailsOf, refusedProfileField } from '../utils/business-details';
import { profileSchema, type ProfileValues } from '../utils/schemas';
import { bookingLink } from '../utils/snippets';
import { BusinessDetailsFields } from './BusinessDetailsFields';
import { SaveProblem, SavedNote } from './Feedback';

const FIELDS = ['name', 'slug', 'timezone', 'currency', 'address', 'country'] as const;

function valuesOf(profile: BusinessProfile): ProfileValues {
  return { ...businessDetailsOf(profile), slug: profile.slug };
}

/** Name, booking page address, time zone, currency, address and country. */
export function ProfileForm({ profile }: { profile: BusinessProfile }) {
  const form = useForm<ProfileValues>({ resolver: zodResolver(profileSchema), mode: 'onTouched', defaultValues: valuesOf(profile) });
  const section = useProfileSection(form, valuesOf, FIELDS, { refusedField: refusedProfileField });
  const slug = useWatch({ control: form.control, name: 'slug' });
  const link = slug ? bookingLink(window.location.origin, slug) : `${bookingLink(window.location.origin, '')}…`;

  const submit = (values: ProfileValues) => section.submit({ ...businessDetailsChanges(values), slug: values.slug });

  return (
    <FormProvider {...form}>
      <form onSubmit={form.handleSubmit(submit)} noValidate aria-label="Business profile">
        <Stack gap="md">
          <BusinessDetailsFields
            profile={profile}
            addressHint="Shown on your booking page and in confirmations; leave empty if you work online"
            countryHint="Customers' phone numbers are read as numbers of this country unless they start with +"
          >
            <TextInput
              label="Booking page address"
              description={`Your booking link: ${link}. Links you already shared stop working if you change it.`}
              required
              autoCapitalize="none"
              spellCheck={false}
              error={form.formState.errors.slug?.message}
              {...form.register('slug')}
              styles={{ description: { overflowWrap: 'anywhere' } }}
            />
          </BusinessDetailsFields>
          {section.problem && <SaveProblem {...section.problem} title="Profile not saved" />}
          {section.saved && <SavedNote onClose={section.dismissSaved}>Profile saved.</SavedNote>}
          <Group>
            <Button type="submit" loading={form.formState.isSubmitting}>
              Save profile
            </Button>
          </Group>
        </Stack>
      </form>
    </FormProvider>
  );
}
