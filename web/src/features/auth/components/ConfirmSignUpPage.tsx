import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { LoadingState, MessagePage } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { describeError, isApiError } from '@/lib/api';
import { useConfirmSignUp } from '../api/auth';

/** The link of the sign-up email: confirms the address, which creates the account and the
 * business, signs the owner in and continues to the setup guide. */
export function ConfirmSignUpPage() {
  usePageTitle('Confirm your sign-up');
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const confirm = useConfirmSignUp();
  const { mutate } = confirm;
  const sent = useRef(false);

  useEffect(() => {
    // Once per token, also when the page is rendered twice in development.
    if (!token || sent.current) return;
    sent.current = true;
    mutate({ token });
  }, [token, mutate]);

  if (!token) {
    return (
      <MessagePage title="This link is not valid">
        <Text>Open the link from your sign-up email again, or sign up again for a new one.</Text>
        <Anchor component={Link} to="/app/sign-up">
          Sign up again
        </Anchor>
      </MessagePage>
    );
  }

  if (confirm.isSuccess) return <Navigate to="/app/setup" replace />;

  if (confirm.isError) {
    if (isApiError(confirm.error, 400)) {
      return (
        <MessagePage title="This link has expired or was already used">
          <Text>
            Sign-up links work once and for 24 hours. If you already confirmed this address, sign in; otherwise sign up
            again and we will send you a new link.
          </Text>
          <Group>
            <Button component={Link} to="/app/sign-up">
              Sign up again
            </Button>
            <Button component={Link} to="/app/sign-in" variant="default">
              Sign in
            </Button>
          </Group>
        </MessagePage>
      );
    }
    return (
      <MessagePage title="Your sign-up is not confirmed yet">
        <Alert color="red" role="alert" title="Something went wrong">
          {describeError(confirm.error)}
        </Alert>
        <Group>
          <Button onClick={() => mutate({ token })}>Try again</Button>
        </Group>
      </MessagePage>
    );
  }

  return (
    <Stack gap="lg">
      <LoadingState label="Confirming your sign-up…" />
    </Stack>
  );
}
