import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { usePageTitle } from '@/components/layout/use-page-title';
import { describeError, isApiError } from '@/lib/api';
import { useLogin } from '../api/auth';
import { signInSchema, type SignIn } from '../utils/schemas';

/** Owners' sign-in. The owner app behind it comes later; for now success is only confirmed. */
export function SignInPage() {
  usePageTitle('Sign in');
  const login = useLogin();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<SignIn>({ resolver: zodResolver(signInSchema), mode: 'onTouched' });

  const submit = (values: SignIn) => {
    if (login.isPending) return;
    login.mutate(values);
  };

  return (
    <Stack gap="lg">
      <Title order={1}>Sign in</Title>
      {login.isSuccess ? (
        <Alert color="green" role="status" title="Signed in">
          <Text size="sm">The owner pages are on their way.</Text>
        </Alert>
      ) : (
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
                {isApiError(login.error, 401) ? 'The email or password is not right.' : describeError(login.error)}
              </Alert>
            )}
            <Button type="submit" loading={login.isPending} disabled={login.isPending}>
              Sign in
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
