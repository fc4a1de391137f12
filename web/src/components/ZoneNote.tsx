import { Text } from '@mantine/core';
import { offsetsAmong, zoneOffset } from '@/lib/datetime';

interface ZoneNoteProps {
  zone: string;
  /** Instants shown under the note; a day with two offsets is a day the clocks change. */
  instants?: string[];
}

/** "Times in Europe/Berlin (GMT+1)": every list of times says which clock it follows. */
export function ZoneNote({ zone, instants = [] }: ZoneNoteProps) {
  const offsets = instants.length > 0 ? offsetsAmong(instants, zone) : [zoneOffset(new Date(), zone)];
  return (
    <Text size="sm" c="dimmed">
      Times in <strong>{zone}</strong> ({offsets.join(' → ')})
      {offsets.length > 1 && ' — the clocks change on this day'}
    </Text>
  );
}
