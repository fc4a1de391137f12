import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { MessagePage } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <MessagePage title="Page not found">
      <Text>There is no page at this address. Please check the link.</Text>
      <Anchor component={Link} to="/">
        Go to the home page
      </Anchor>
    </MessagePage>
  );
}
