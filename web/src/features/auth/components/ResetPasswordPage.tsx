import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Anchor, Button, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { Link, useSearchParams } from 'react-router';
import { MessagePage } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { describeError, isApiError } from '@/lib/api';
import { useConfirmPasswordReset } from '../api/auth';
import { newPasswordSchema, PASSWORD_MIN_LENGTH, type NewPassword } from '../utils/schemas';

export function ResetPasswordPage() {
  usePageTitle('Choose a new password');
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const confirm = useConfirmPasswordReset();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<NewPassword>({ resolver: zodResolver(newPasswordSchema), mode: 'onTouched' });

  if (!token) {
    return (
      <MessagePage title="This link is not valid">
        <Text>Open the link from your password reset email again, or ask for a new one.</Text>
      </MessagePage>
    );
  }

  if (confirm.isSuccess) {
    return (
      <MessagePage title="Your password has been changed">
        <Text>You can now sign in with your new password.</Text>
        <Anchor component={Link} to="/app/sign-in">
          Go to sign-in
        </Anchor>
      </MessagePage>
    );
  }

  const submit = (values: NewPassword) => {
    if (confirm.isPending) return;
    confirm.mutate({ token, new_password: values.password });
  };

  return (
    <Stack gap="lg">
      <Title order={1}>Choose a new password</Title>
      <form onSubmit={handleSubmit(submit)} noValidate aria-label="New password">
        <Stack gap="md">
          <PasswordInput
            label="New password"
            description={`At least ${PASSWORD_MIN_LENGTH} characters`}
            autoComplete="new-password"
            required
            error={errors.password?.message}
            {...register('password')}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            required
            error={errors.repeat?.message}
            {...register('repeat')}
          />
          {confirm.isError && (
            <Alert color="red" role="alert" title="Password not changed">
              {isApiError(confirm.error, 400) || isApiError(confirm.error, 404) || isApiError(confirm.error, 410)
                ? 'This reset link has expired or was already used. Please ask for a new one.'
                : describeError(confirm.error)}
            </Alert>
          )}
          <Button type="submit" loading={confirm.isPending} disabled={confirm.isPending}>
            Save new password
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
