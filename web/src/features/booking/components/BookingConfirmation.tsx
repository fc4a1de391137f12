import { Anchor, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { ZoneNote } from '@/components/ZoneNote';
import type { PublicBookingResponse, PublicBusiness, PublicService } from '@/lib/api';
import { formatTimeRange } from '@/lib/datetime';
import { calendarFileLink, manageLink } from '@/lib/links';
import { formatPrice } from '@/lib/money';

interface BookingConfirmationProps {
  booking: PublicBookingResponse;
  business: PublicBusiness;
  service: PublicService;
}

export function BookingConfirmation({ booking, business, service }: BookingConfirmationProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The page changed under the visitor's feet: move focus to what happened.
  useEffect(() => heading.current?.focus(), []);
  const staff = business.staff.find((member) => member.id === booking.staff_id);

  return (
    <Stack gap="md">
      <Title order={1} ref={heading} tabIndex={-1}>
        You're booked
      </Title>
      <Paper withBorder p="md" radius="md">
        <Stack gap="xs">
          <Text>
            <strong>What:</strong> {service.name} ({service.duration_minutes} min · {formatPrice(service.price, business.currency)})
          </Text>
          <Text>
            <strong>When:</strong> {formatTimeRange(booking.start_time, booking.end_time, business.timezone)}
          </Text>
          <ZoneNote zone={business.timezone} instants={[booking.start_time]} />
          <Text>
            <strong>Where:</strong> {business.name}
            {business.address ? `, ${business.address}` : ''}
          </Text>
          {staff && (
            <Text>
              <strong>With:</strong> {staff.name}
            </Text>
          )}
        </Stack>
      </Paper>
      <Stack gap="xs" align="flex-start">
        <Button component="a" href={calendarFileLink(booking.appointment_id, booking.manage_token)} download variant="light">
          Add to calendar
        </Button>
        <Text size="sm">
          Need to change or cancel?{' '}
          <Anchor component={Link} to={manageLink(booking.appointment_id, booking.manage_token)}>
            Manage this appointment
          </Anchor>{' '}
          — the same link is in your confirmation.
        </Text>
      </Stack>
    </Stack>
  );
}
