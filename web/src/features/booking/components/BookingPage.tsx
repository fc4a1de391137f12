import { Anchor, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '@/components/layout/use-page-title';
import { ErrorState, LoadingState, MessagePage } from '@/components/feedback/states';
import { isApiError } from '@/lib/api';
import { useBusiness } from '../api/business';
import { BookingFlow } from './BookingFlow';

export function BookingPage() {
  const { slug = '' } = useParams();
  const business = useBusiness(slug);
  usePageTitle(business.data ? `Book at ${business.data.name}` : business.error ? 'Business not found' : 'Book an appointment');

  if (business.isPending) return <LoadingState label="Loading the booking page…" />;
  if (business.isError && isApiError(business.error, 404)) {
    return (
      <MessagePage title="Business not found">
        <Text>
          We could not find a business at this address. Please check the link you were given, or ask the business for
          its booking link.
        </Text>
        <Anchor component={Link} to="/">
          Go to the home page
        </Anchor>
      </MessagePage>
    );
  }
  if (business.isError) {
    return (
      <ErrorState
        title="The booking page could not be loaded"
        error={business.error}
        onRetry={() => void business.refetch()}
      />
    );
  }
  return <BookingFlow business={business.data} />;
}
