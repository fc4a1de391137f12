import { Radio, Stack } from '@mantine/core';
import type { PublicStaffMember } from '@/lib/api';

export const ANY_STAFF = 'any';

interface StaffChoiceProps {
  staff: PublicStaffMember[];
  /** A staff member's id, or ANY_STAFF. */
  value: string;
  onChange: (value: string) => void;
}

export function StaffChoice({ staff, value, onChange }: StaffChoiceProps) {
  return (
    <Radio.Group value={value} onChange={onChange} label="Staff member" labelProps={{ className: 'visually-hidden' }}>
      <Stack gap="xs" mt={4}>
        <Radio value={ANY_STAFF} label="Any staff member" />
        {staff.map((member) => (
          <Radio key={member.id} value={member.id} label={member.name} />
        ))}
      </Stack>
    </Radio.Group>
  );
}
