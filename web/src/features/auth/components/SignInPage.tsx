import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { Link, Navigate, useLocation } from 'react-router';
import { usePageTitle } from '@/components/layout/use-page-title';
import { describeError, isApiError } from '@/lib/api';
import { useSession, type EndReason } from '@/lib/session';
import { useLogin } from '../api/auth';
import { signInSchema, type SignIn } from '../utils/schemas';

const END_MESSAGES: Record<EndReason, { title: string; text: string; color: string }> = {
  expired: {
    title: 'Please sign in again',
    text: 'Your session has ended — it expired, or your access was changed. Sign in to carry on.',
    color: 'yellow',
  },
  'signed-out': { title: 'Signed out', text: 'You have signed out.', color: 'gray' },
};

/** Where a signed-in owner lands: the page they were sent away from, or the calendar. */
export function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/app') && !from.startsWith('/app/sign') ? from : '/app';
}

/** A deactivated login is told so (the API says it only to the right password). */
function signInRefusal(error: unknown): string {
  if (isApiError(error, 401) && error.title !== 'Login deactivated') return 'The email or password is not right.';
  return describeError(error);
}

export function SignInPage() {
  usePageTitle('Sign in');
  const location = useLocation();
  const session = useSession();
  const login = useLogin();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<SignIn>({ resolver: zodResolver(signInSchema), mode: 'onTouched' });

  if (session.token) return <Navigate to={returnPath(location.state)} replace />;

  const submit = (values: SignIn) => {
    if (login.isPending) return;
    login.mutate(values);
  };
  const ended = session.endReason ? END_MESSAGES[session.endReason] : null;

  return (
    <Stack gap="lg">
      <Title order={1}>Sign in</Title>
      {ended && (
        <Alert color={ended.color} role="status" title={ended.title}>
          {ended.text}
        </Alert>
      )}
      <form onSubmit={handleSubmit(submit)} noValidate aria-label="Sign in">
        <Stack gap="md">
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
            autoComplete="current-password"
            required
            error={errors.password?.message}
            {...register('password')}
          />
          {login.isError && (
            <Alert color="red" role="alert" title="Not signed in">
              {signInRefusal(login.error)}
            </Alert>
          )}
          <Button type="submit" loading={login.isPending} disabled={login.isPending}>
            Sign in
          </Button>
        </Stack>
      </form>
      <Group justify="space-between" gap="xs">
        <Anchor component={Link} to="/app/forgot-password" size="sm">
          Forgot your password?
        </Anchor>
        <Text size="sm">
          New here?{' '}
          <Anchor component={Link} to="/app/sign-up">
            Create an account
          </Anchor>
        </Text>
      </Group>
    </Stack>
  );
}
