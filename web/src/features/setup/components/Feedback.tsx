import { Alert, Button, CloseButton, Group, List, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError, describeError, isApiError } from '@/lib/api';
import { tidyMessage } from '../utils/form-errors';

/** The plan's limit was reached (402): what the API said, and the way to more. */
export function PlanLimitAlert({ error, title = 'Not included in your plan' }: { error: unknown; title?: string }) {
  return (
    <Alert color="orange" variant="light" title={title} role="alert">
      <Text size="sm">{describeError(error)}</Text>
      <Button component={Link} to="/app/billing" size="xs" mt="sm">
        Upgrade to Pro
      </Button>
    </Alert>
  );
}

const FIELD_NAMES: Record<string, string> = {
  working_hours: 'Working hours',
  reminder_offsets_minutes: 'Reminders',
  reminder_channels: 'Channels',
};

function fieldName(field: string): string {
  const [first = ''] = field.split('.');
  return FIELD_NAMES[first] ?? first.replace(/_/g, ' ');
}

/**
 * Why a save failed, for what the form could not put next to a field: a plan limit with
 * its upgrade link, the API's detail, or the field errors that belong to no field here.
 */
export function SaveProblem({ error, placed = [], title = 'Not saved' }: { error: unknown; placed?: string[]; title?: string }) {
  if (!error) return null;
  if (isApiError(error, 402)) return <PlanLimitAlert error={error} />;
  const unplaced = error instanceof ApiError ? error.fieldErrors.filter((item) => !placed.includes(item.field)) : [];
  const allPlaced = error instanceof ApiError && error.fieldErrors.length > 0 && unplaced.length === 0;
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      {allPlaced ? (
        <Text size="sm">Please correct the fields marked above.</Text>
      ) : unplaced.length > 0 ? (
        <List size="sm">
          {unplaced.map((item, index) => (
            <List.Item key={index}>
              {item.field ? `${fieldName(item.field)}: ` : ''}
              {tidyMessage(item.message)}
            </List.Item>
          ))}
        </List>
      ) : (
        <Text size="sm">{describeError(error)}</Text>
      )}
    </Alert>
  );
}

/** A success the owner should notice, with a way to dismiss it. */
export function SavedNote({ children, onClose }: { children: ReactNode; onClose: () => void }) {
  return (
    <Alert color="green" variant="light" role="status">
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <Text size="sm">{children}</Text>
        <CloseButton size="sm" aria-label="Dismiss" onClick={onClose} />
      </Group>
    </Alert>
  );
}
