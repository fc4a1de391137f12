import { Button, Card, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/components/feedback/states';
import { usePageTitle } from '@/components/layout/use-page-title';
import { describeError } from '@/lib/api';
import { useBusinessProfile } from '@/lib/session';
import type { ReactNode } from 'react';
import {
  useAllServices,
  useArchiveService,
  useCreateService,
  useRestoreService,
  useUpdateService,
  type Service,
} from '../api/services';
import { formatLengthAndPrice } from '../utils/format';
import { SavedNote } from './Feedback';
import { ServiceForm, serviceValues } from './ServiceForm';

type Editing = { mode: 'create' } | { mode: 'edit'; service: Service } | null;

/** What customers can book: list, add, edit, archive and restore services. */
export function ServicesPage() {
  usePageTitle('Services');
  const services = useAllServices();
  const currency = useBusinessProfile().data?.currency;
  const create = useCreateService();
  const update = useUpdateService();
  const restore = useRestoreService();
  // What the editor shows stays set while it closes, so its title doesn't flip mid-fade.
  const [editing, setEditing] = useState<Editing>(null);
  const [editorOpen, setEditorOpen] = useState(false);
  const openEditor = (next: NonNullable<Editing>) => {
    setEditing(next);
    setEditorOpen(true);
  };
  const closeEditor = () => setEditorOpen(false);
  const [archiving, setArchiving] = useState<Service | null>(null);
  const [restoreError, setRestoreError] = useState<{ id: string; error: unknown } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const phone = useMediaQuery('(max-width: 36em)');
  const offered = services.data?.filter((service) => !service.archived) ?? [];
  const archived = services.data?.filter((service) => service.archived) ?? [];

  return (
    <Stack gap="lg" maw={760}>
      <Group justify="space-between" align="flex-end" gap="sm">
        <div>
          <Title order={1}>Services</Title>
          <Text c="dimmed" mt={4}>
            What customers can book on your booking page, with its length and price.
          </Text>
        </div>
        <Button onClick={() => openEditor({ mode: 'create' })}>Add a service</Button>
      </Group>

      {saved && <SavedNote onClose={() => setSaved(null)}>{saved}</SavedNote>}

      {services.isPending ? (
        <LoadingState label="Loading services…" />
      ) : services.isError ? (
        <ErrorState title="Services could not be loaded" error={services.error} onRetry={() => services.refetch()} />
      ) : services.data.length === 0 ? (
        <EmptyState title="No services yet">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              Add the first thing customers can book, e.g. “Haircut, 45 minutes”. It shows on your booking page at once.
            </Text>
            <Button size="xs" onClick={() => openEditor({ mode: 'create' })}>
              Add your first service
            </Button>
          </Stack>
        </EmptyState>
      ) : (
        <>
          {offered.length > 0 ? (
            <ServiceList label="Services" services={offered} currency={currency}>
              {(service) => (
                <>
                  <Button
                    variant="default"
                    size="xs"
                    aria-label={`Edit ${service.name}`}
                    onClick={() => openEditor({ mode: 'edit', service })}
                  >
                    Edit
                  </Button>
                  <Button
                    variant="subtle"
                    color="red"
                    size="xs"
                    aria-label={`Archive ${service.name}`}
                    onClick={() => setArchiving(service)}
                  >
                    Archive
                  </Button>
                </>
              )}
            </ServiceList>
          ) : (
            <Text size="sm">
              No service is offered on your booking page. Add one, or restore an archived one below.
            </Text>
          )}

          {archived.length > 0 && (
            <Stack gap="sm" component="section" aria-labelledby="archived-services">
              <div>
                <Title order={2} size="h3" id="archived-services">
                  Archived
                </Title>
                <Text size="sm" c="dimmed" mt={4}>
                  Not on your booking page. Their appointments stay in your calendar and can still be moved or
                  cancelled.
                </Text>
              </div>
              <ServiceList label="Archived services" services={archived} currency={currency}>
                {(service) => (
                  <>
                    {restoreError?.id === service.id && (
                      <Text size="sm" c="red.8" role="alert">
                        {describeError(restoreError.error)}
                      </Text>
                    )}
                    <Button
                      variant="default"
                      size="xs"
                      aria-label={`Restore ${service.name}`}
                      loading={restore.isPending && restore.variables === service.id}
                      disabled={restore.isPending && restore.variables !== service.id}
                      onClick={() => {
                        setRestoreError(null);
                        restore.mutate(service.id, {
                          onSuccess: () => setSaved(`Restored “${service.name}”. Customers can book it again.`),
                          onError: (error) => setRestoreError({ id: service.id, error }),
                        });
                      }}
                    >
                      Restore
                    </Button>
                  </>
                )}
              </ServiceList>
            </Stack>
          )}
        </>
      )}

      <Modal
        opened={editorOpen}
        onClose={() => closeEditor()}
        title={editing?.mode === 'edit' ? `Edit ${editing.service.name}` : 'Add a service'}
        fullScreen={phone}
        size="lg"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {editing && (
          <ServiceForm
            key={editing.mode === 'edit' ? editing.service.id : 'new'}
            initial={editing.mode === 'edit' ? serviceValues(editing.service) : undefined}
            submitLabel={editing.mode === 'edit' ? 'Save changes' : 'Add service'}
            currency={currency}
            onCancel={() => closeEditor()}
            onSubmit={async (body) => {
              if (editing.mode === 'edit') {
                await update.mutateAsync({ id: editing.service.id, body });
                setSaved(`Saved the changes to “${body.name}”.`);
              } else {
                await create.mutateAsync(body);
                setSaved(`Added “${body.name}”. Customers can book it now.`);
              }
              closeEditor();
            }}
          />
        )}
      </Modal>

      <ArchiveServiceDialog
        service={archiving}
        onClose={() => setArchiving(null)}
        onArchived={(name) => setSaved(`Archived “${name}”. It is no longer on your booking page.`)}
      />
    </Stack>
  );
}

function ServiceList({
  label,
  services,
  currency,
  children,
}: {
  label: string;
  services: Service[];
  /** The business's (ISO 4217); undefined while its profile loads. */
  currency: string | undefined;
  children: (service: Service) => ReactNode;
}) {
  return (
    <Stack gap="sm" component="ul" aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {services.map((service) => (
        <Card key={service.id} component="li" withBorder padding="md">
          <Group justify="space-between" align="flex-start" gap="sm">
            <Stack gap={2} miw={0} style={{ flex: '1 1 14rem' }}>
              <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                {service.name}
              </Text>
              <Text size="sm">{formatLengthAndPrice(service, currency)}</Text>
              {(service.buffer_before_minutes > 0 || service.buffer_after_minutes > 0) && (
                <Text size="sm" c="dimmed">
                  Buffers: {service.buffer_before_minutes} min before, {service.buffer_after_minutes} min after
                </Text>
              )}
              {service.description && (
                <Text size="sm" c="dimmed" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                  {service.description}
                </Text>
              )}
            </Stack>
            <Group gap="xs">{children(service)}</Group>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

function ArchiveServiceDialog({
  service,
  onClose,
  onArchived,
}: {
  service: Service | null;
  onClose: () => void;
  onArchived: (name: string) => void;
}) {
  const remove = useArchiveService();
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Modal
      opened={service !== null}
      onClose={close}
      title={`Archive ${service?.name ?? 'service'}?`}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack gap="md">
        <Text size="sm">
          It leaves your booking page and can no longer be booked. Appointments already booked for it stay in your
          calendar with their details and can still be moved or cancelled. You can restore it at any time from the
          Archived section.
        </Text>
        {remove.isError && (
          <Text size="sm" c="red.8" role="alert">
            {describeError(remove.error)}
          </Text>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} disabled={remove.isPending}>
            Keep it
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              service &&
              remove.mutate(service.id, {
                onSuccess: () => {
                  onArchived(service.name);
                  close();
                },
              })
            }
          >
            Archive service
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
