import { Anchor, Button, Code, CopyButton, Group, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { BusinessProfile } from '@/lib/session';
import { describeMinutes } from '../utils/format';
import { bookingLink, buttonSnippet, iframeSnippet } from '../utils/snippets';

/** Step 4: the booking link to share, and the code to put the booking page on a website. */
export function ShareStep({ profile }: { profile: BusinessProfile }) {
  const link = bookingLink(window.location.origin, profile.slug);
  const offsets = [...profile.reminder_offsets_minutes].sort((a, b) => b - a);
  const reminders =
    offsets.length === 0 ? 'now: none' : `now: ${offsets.map(describeMinutes).join(' and ')} before`;

  return (
    <Stack gap="lg">
      <Stack gap="sm">
        <div>
          <Title order={2} size="h3">
            Your booking page is ready
          </Title>
          <Text size="sm" c="dimmed">
            Share the link: on social media, in your email signature, as a QR code at the counter. Customers choose a
            service and a time, and get a confirmation and reminders.
          </Text>
        </div>
        <TextInput
          label="Booking link"
          value={link}
          readOnly
          onFocus={(event) => event.currentTarget.select()}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group gap="sm">
          <CopyButton value={link}>
            {({ copied, copy }) => (
              <Button onClick={copy}>{copied ? 'Copied' : 'Copy link'}</Button>
            )}
          </CopyButton>
          <Button component="a" href={link} target="_blank" rel="noopener" variant="default">
            Open the booking page
            <span className="visually-hidden"> (opens in a new tab)</span>
          </Button>
        </Group>
      </Stack>

      <Stack gap="sm">
        <div>
          <Title order={3} size="h4">
            Put it on your website
          </Title>
          <Text size="sm" c="dimmed">
            Paste one of these into your site&apos;s HTML (most website builders have an “HTML” or “embed” block).
          </Text>
        </div>
        <Snippet
          title="The booking page inside one of your pages"
          what="embed code"
          code={iframeSnippet(link, profile.name)}
        />
        <Snippet title="A “Book online” button" what="button code" code={buttonSnippet(link)} />
      </Stack>

      <Stack gap="xs">
        <Title order={3} size="h4">
          What next
        </Title>
        <List size="sm" spacing={4}>
          <List.Item>
            <Anchor component={Link} to="/app/settings">
              Choose when customers are reminded
            </Anchor>{' '}
            ({reminders})
          </List.Item>
          <List.Item>
            <Anchor component={Link} to="/app/staff">
              Add days off and holidays
            </Anchor>
          </List.Item>
          <List.Item>
            <Anchor component={Link} to="/app/services">
              Add more services
            </Anchor>
          </List.Item>
        </List>
        <Group mt="sm">
          <Button component={Link} to="/app/calendar">
            Go to the calendar
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}

function Snippet({ title, what, code }: { title: string; what: string; code: string }) {
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {code}
      </Code>
      <CopyButton value={code}>
        {({ copied, copy }) => (
          <Button variant="light" size="xs" w="fit-content" onClick={copy}>
            {copied ? 'Copied' : `Copy ${what}`}
          </Button>
        )}
      </CopyButton>
    </Stack>
  );
}
