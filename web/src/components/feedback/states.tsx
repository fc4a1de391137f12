import { Alert, Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { describeError } from '@/lib/api';

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="md" aria-hidden />
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}

interface ErrorStateProps {
  title?: string;
  error?: unknown;
  message?: ReactNode;
  onRetry?: () => void;
}

/** An error the visitor can read, with a way to try again when trying again can help. */
export function ErrorState({ title = 'Something went wrong', error, message, onRetry }: ErrorStateProps) {
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{message ?? describeError(error)}</Text>
        {onRetry && (
          <Button size="xs" variant="outline" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    // Nothing went wrong: announced politely, not as an alert.
    <Alert color="gray" variant="light" title={title} role="status">
      {children}
    </Alert>
  );
}

/** A whole page saying what is missing and where to go instead (unknown business, bad link, 404). */
export function MessagePage({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack gap="md" py="xl">
      <Title order={1}>{title}</Title>
      {children}
    </Stack>
  );
}
