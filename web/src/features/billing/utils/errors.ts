import { ApiError, describeError } from '@/lib/api';

/** A refused checkout or portal request, in words the owner can act on. */
export function billingError(error: unknown): string {
  if (!(error instanceof ApiError)) return describeError(error);
  switch (error.status) {
    case 403:
      return 'Only the business owner can change the plan or open the billing account.';
    case 409:
      return error.detail ?? 'Your plan changed meanwhile. Reload the page to see it.';
    case 502:
      return `${error.detail ?? 'The payment provider did not answer as expected.'} Nothing was charged. Please try again in a moment.`;
    case 503:
      return 'Payments are not set up on this server yet. Please try again later.';
    default:
      return describeError(error);
  }
}
