import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Paper, PasswordInput, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { describeError, isApiError } from '@/lib/api';
import { showFieldErrors } from '@/lib/forms';
import { useCreateLogin } from '../api/logins';
import { ROLE_DESCRIPTIONS } from '../utils/roles';
import { PASSWORD_MIN_LENGTH, newLoginSchema, type NewLogin } from '../utils/schemas';

const FIELDS = ['email', 'password', 'role'] as const;
const EMPTY: NewLogin = { email: '', password: '', role: 'staff' };

/** The owner gives a team member a login of their own: email, a first password and a role. */
export function NewLoginForm() {
  const create = useCreateLogin();
  const [added, setAdded] = useState<string | null>(null);
  const {
    register,
    control,
    handleSubmit,
    reset,
    setError,
    formState: { errors },
  } = useForm<NewLogin>({ resolver: zodResolver(newLoginSchema), mode: 'onTouched', defaultValues: EMPTY });

  const submit = (values: NewLogin) => {
    if (create.isPending) return;
    setAdded(null);
    create.mutate(values, {
      onSuccess: (login) => {
        setAdded(login.email);
        reset(EMPTY);
      },
      onError: (error) => {
        if (isApiError(error, 409)) {
          setError('email', { type: 'server', message: 'This email already has a login. Use another address.' }, { shouldFocus: true });
          return;
        }
        showFieldErrors(error, setError, FIELDS);
      },
    });
  };

  const otherError = create.isError && !isApiError(create.error, 409) && !(isApiError(create.error, 422) && Object.keys(errors).length);

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="new-login-title">
      <form onSubmit={handleSubmit(submit)} noValidate aria-labelledby="new-login-title">
        <Stack gap="md">
          <div>
            <Title order={2} size="h4" id="new-login-title">
              Add a login
            </Title>
            <Text size="sm" c="dimmed">
              Give each person their own login. Tell them the first password in person; they can change it with
              &ldquo;Forgot your password?&rdquo; on the sign-in page.
            </Text>
          </div>
          <TextInput
            label="Email"
            type="email"
            autoComplete="off"
            required
            error={errors.email?.message}
            {...register('email')}
          />
          <PasswordInput
            label="First password"
            description={`At least ${PASSWORD_MIN_LENGTH} characters`}
            autoComplete="new-password"
            required
            error={errors.password?.message}
            {...register('password')}
          />
          <Controller
            control={control}
            name="role"
            render={({ field }) => (
              <Radio.Group
                label="Role"
                required
                value={field.value}
                onChange={(value) => field.onChange(value)}
                error={errors.role?.message}
              >
                <Stack gap="xs" mt={6}>
                  <Radio value="staff" label="Staff" description={ROLE_DESCRIPTIONS.staff} onBlur={field.onBlur} />
                  <Radio value="admin" label="Admin" description={ROLE_DESCRIPTIONS.admin} onBlur={field.onBlur} />
                </Stack>
              </Radio.Group>
            )}
          />
          {otherError && (
            <Alert color="red" role="alert" title="Login not added">
              {isApiError(create.error, 403)
                ? 'Only the business owner can add logins.'
                : describeError(create.error)}
            </Alert>
          )}
          {added && (
            <Alert color="teal" role="status" title="Login added">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {added} can now sign in with the password you chose.
              </Text>
            </Alert>
          )}
          <Button type="submit" loading={create.isPending} style={{ alignSelf: 'flex-start' }}>
            Add login
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
