import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Anchor, Button, PasswordInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { Link, Navigate } from 'react-router';
import { CurrencySelect } from '@/components/CurrencySelect';
import { usePageTitle } from '@/components/layout/use-page-title';
import { describeError } from '@/lib/api';
import { browserCurrency } from '@/lib/money';
import { browserTimeZone, timeZoneOptions } from '@/lib/datetime';
import { showFieldErrors } from '@/lib/forms';
import { useSession } from '@/lib/session';
import { useRegister } from '../api/auth';
import { PASSWORD_MIN_LENGTH, signUpSchema, type SignUp } from '../utils/schemas';

const FIELDS = ['business_name', 'timezone', 'currency', 'email', 'password'] as const;

/** A new owner's account and business: the form, then a link by email that confirms the address
 * and continues to the setup guide. */
export function SignUpPage() {
  usePageTitle('Create your account');
  const session = useSession();
  const signUp = useRegister();
  const zones = useMemo(() => timeZoneOptions(), []);
  const {
    register,
    control,
    handleSubmit,
    getValues,
    setError,
    formState: { errors },
  } = useForm<SignUp>({
    resolver: zodResolver(signUpSchema),
    mode: 'onTouched',
    defaultValues: { timezone: browserTimeZone(), currency: browserCurrency(), business_name: '', email: '', password: '' },
  });

  if (session.token) return <Navigate to="/app/setup" replace />;

  const submit = (values: SignUp) => {
    if (signUp.isPending) return;
    signUp.mutate(values, { onError: (error) => showFieldErrors(error, setError, FIELDS) });
  };

  if (signUp.isSuccess) {
    // The API answers alike whether or not the address has an account; the email says which.
    return (
      <Stack gap="lg">
        <Title order={1}>Check your email</Title>
        <Alert color="green" role="status" title="Confirm your email address">
          We sent a link to <strong>{getValues('email')}</strong>. Open it to create your account; it works for 24
          hours.
        </Alert>
        <Text>
          No email after a few minutes? Look in your spam or junk folder. If the address already has an account, the
          email tells you how to sign in instead.
        </Text>
        <Text size="sm">
          Wrong address?{' '}
          <Anchor component="button" type="button" onClick={() => signUp.reset()}>
            Sign up again
          </Anchor>
        </Text>
        <Anchor component={Link} to="/app/sign-in" size="sm">
          Back to sign-in
        </Anchor>
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Create your account</Title>
        <Text c="dimmed" mt={4}>
          Take bookings online and send every customer a reminder. Start free; upgrade to Pro when you grow.
        </Text>
      </div>
      <form onSubmit={handleSubmit(submit)} noValidate aria-label="Create your account">
        <Stack gap="md">
          <TextInput
            label="Business name"
            autoComplete="organization"
            required
            error={errors.business_name?.message}
            {...register('business_name')}
          />
          <Controller
            control={control}
            name="timezone"
            render={({ field }) => (
              <Select
                label="Time zone"
                description="Your opening hours and appointment times are in this zone"
                data={zones}
                searchable
                required
                allowDeselect={false}
                error={errors.timezone?.message}
                value={field.value}
                onChange={(value) => field.onChange(value ?? '')}
                onBlur={field.onBlur}
              />
            )}
          />
          <Controller
            control={control}
            name="currency"
            render={({ field }) => (
              <CurrencySelect
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                error={errors.currency?.message}
              />
            )}
          />
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            error={errors.email?.message}
            {...register('email')}
          />
          <PasswordInput
            label="Password"
            description={`At least ${PASSWORD_MIN_LENGTH} characters`}
            autoComplete="new-password"
            required
            error={errors.password?.message}
            {...register('password')}
          />
          {signUp.isError && (
            <Alert color="red" role="alert" title="Account not created">
              {describeError(signUp.error)}
            </Alert>
          )}
          <Button type="submit" loading={signUp.isPending} disabled={signUp.isPending}>
            Create account
          </Button>
        </Stack>
      </form>
      <Text size="sm">
        Already have an account?{' '}
        <Anchor component={Link} to="/app/sign-in">
          Sign in
        </Anchor>
      </Text>
    </Stack>
  );
}
