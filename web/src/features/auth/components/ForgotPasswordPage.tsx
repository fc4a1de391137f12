import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { usePageTitle } from '@/components/layout/use-page-title';
import { describeError } from '@/lib/api';
import { useRequestPasswordReset } from '../api/auth';
import { forgotPasswordSchema, type ForgotPassword } from '../utils/schemas';

export function ForgotPasswordPage() {
  usePageTitle('Reset your password');
  const reset = useRequestPasswordReset();
  const {
    register,
    handleSubmit,
    getValues,
    formState: { errors },
  } = useForm<ForgotPassword>({ resolver: zodResolver(forgotPasswordSchema), mode: 'onTouched' });

  const submit = (values: ForgotPassword) => {
    if (reset.isPending) return;
    reset.mutate(values);
  };

  return (
    <Stack gap="lg">
      <Title order={1}>Reset your password</Title>
      {reset.isSuccess ? (
        // The API answers the same whether or not the address has an account.
        <Alert color="green" role="status" title="Check your email">
          If {getValues('email')} has an account, a link to choose a new password is on its way. It works for one
          hour.
        </Alert>
      ) : (
        <form onSubmit={handleSubmit(submit)} noValidate aria-label="Reset your password">
          <Stack gap="md">
            <Text>Enter the email you sign in with and we will send you a link to choose a new password.</Text>
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              error={errors.email?.message}
              {...register('email')}
            />
            {reset.isError && (
              <Alert color="red" role="alert" title="Email not sent">
                {describeError(reset.error)}
              </Alert>
            )}
            <Button type="submit" loading={reset.isPending} disabled={reset.isPending}>
              Send reset link
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/app/sign-in" size="sm">
        Back to sign-in
      </Anchor>
    </Stack>
  );
}
