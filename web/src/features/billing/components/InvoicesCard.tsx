import { Alert, Anchor, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { EmptyState, ErrorState, LoadingState } from '@/components/feedback/states';
import { useInvoices } from '../api/billing';
import { formatDate, formatMoney } from '../utils/format';

/** Paid invoices, newest first, each linking to Stripe's page of it. */
export function InvoicesCard({ zone }: { zone: string }) {
  const invoices = useInvoices();
  const paid = invoices.data?.filter((invoice) => invoice.status === 'paid') ?? [];
  const unpaid = invoices.data?.filter((invoice) => invoice.status === 'payment_failed') ?? [];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="invoices-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="invoices-title">
          Invoices
        </Title>
        {invoices.isPending ? (
          <LoadingState label="Loading invoices…" />
        ) : invoices.isError ? (
          <ErrorState title="The invoices could not be loaded" error={invoices.error} onRetry={() => invoices.refetch()} />
        ) : (
          <>
            {unpaid.length > 0 && (
              <Alert color="orange" variant="light" title="A payment did not go through">
                Open Manage billing to update your card; Stripe tries the payment again.
              </Alert>
            )}
            {paid.length === 0 ? (
              <EmptyState title="No invoices yet">
                <Text size="sm">Your invoices appear here after your first Pro payment.</Text>
              </EmptyState>
            ) : (
              <Table verticalSpacing="xs" aria-labelledby="invoices-title">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Paid on</Table.Th>
                    <Table.Th scope="col">Invoice</Table.Th>
                    <Table.Th scope="col" ta="right">
                      Amount
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {paid.map((invoice) => (
                    <Table.Tr key={invoice.id}>
                      <Table.Td>{invoice.paid_at ? formatDate(invoice.paid_at, zone) : '—'}</Table.Td>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>
                        {invoice.hosted_invoice_url ? (
                          <Anchor href={invoice.hosted_invoice_url} target="_blank" rel="noopener noreferrer">
                            {invoice.number ?? 'View invoice'}
                            <Text span className="visually-hidden">
                              {' '}
                              (opens in a new tab)
                            </Text>
                          </Anchor>
                        ) : (
                          (invoice.number ?? '—')
                        )}
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {formatMoney(invoice.amount, invoice.currency)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
