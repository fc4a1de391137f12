import { Button, Stack, Text, Title } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/** Last line of defence: a render error shows a message and a reload, never a blank page. */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Page failed to render', error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    const failedChunk = /dynamically imported module|Failed to fetch|Loading chunk/i.test(this.state.error.message);
    return (
      <Stack gap="md" py="xl" role="alert">
        <Title order={1}>Something went wrong</Title>
        <Text>
          {failedChunk
            ? 'Part of this page could not be loaded, perhaps because of a new version or a lost connection.'
            : 'This page ran into a problem it could not recover from.'}{' '}
          Reloading usually helps.
        </Text>
        <Button onClick={() => window.location.reload()} w="fit-content">
          Reload the page
        </Button>
      </Stack>
    );
  }
}
