import { useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api';

export type Subscription = components['schemas']['SubscriptionResponse'];
export type Invoice = components['schemas']['InvoiceResponse'];

export const billingKeys = {
  subscription: ['billing', 'subscription'] as const,
  invoices: ['billing', 'invoices'] as const,
};

export function useSubscription(refetchInterval: (subscription: Subscription | undefined) => number | false) {
  return useQuery({
    queryKey: billingKeys.subscription,
    queryFn: () => unwrap(api.GET('/api/v1/billing/subscription')),
    staleTime: 0,
    refetchInterval: (query) => refetchInterval(query.state.data),
  });
}

export function useInvoices() {
  return useQuery({
    queryKey: billingKeys.invoices,
    queryFn: () => unwrap(api.GET('/api/v1/billing/invoices')),
    staleTime: 0,
  });
}

/** Leaves for Stripe: the page stays busy until the browser has gone. */
function leaveFor(url: string): Promise<never> {
  window.location.assign(url);
  return new Promise<never>(() => {});
}

export function useStartCheckout() {
  return useMutation({
    mutationFn: async () => leaveFor((await unwrap(api.POST('/api/v1/billing/checkout'))).checkout_url),
  });
}

export function useOpenPortal() {
  return useMutation({
    mutationFn: async () => leaveFor((await unwrap(api.POST('/api/v1/billing/portal'))).portal_url),
  });
}
