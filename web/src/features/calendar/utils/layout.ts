import type { Appointment, Lane, StaffMember } from '../types';

/**
 * One lane per staff member: active staff in the business's order, then anyone else who has
 * an appointment in view (a deactivated member, or every member when the staff list could not
 * be read: staff logins and failures fall back to the appointments' own names).
 */
export function lanesFor(staff: readonly StaffMember[] | undefined, appointments: readonly Appointment[], only: string | null): Lane[] {
  const lanes = new Map<string, Lane>();
  const busy = new Set(appointments.map((appointment) => appointment.staff_id));
  for (const member of staff ?? []) {
    if (member.is_active || busy.has(member.id)) {
      lanes.set(member.id, { id: member.id, name: member.is_active ? member.name : `${member.name} (inactive)` });
    }
  }
  for (const appointment of appointments) {
    if (!lanes.has(appointment.staff_id)) {
      lanes.set(appointment.staff_id, { id: appointment.staff_id, name: appointment.staff_name || 'Staff member' });
    }
  }
  if (only) return [lanes.get(only) ?? { id: only, name: 'Selected staff member' }];
  return [...lanes.values()];
}

export interface Block {
  id: string;
  /** Clock minutes since midnight. */
  top: number;
  length: number;
}

export interface Column {
  column: number;
  columns: number;
}

/**
 * Side by side when they overlap (a cancelled appointment under its replacement): each block
 * gets a column within its group of overlapping blocks.
 */
export function overlapColumns(blocks: readonly Block[]): Map<string, Column> {
  const placed = new Map<string, Column>();
  const ordered = [...blocks].sort((a, b) => a.top - b.top || b.length - a.length);
  let group: { id: string; column: number }[] = [];
  let columnEnds: number[] = [];
  let groupEnd = -Infinity;
  const close = () => {
    for (const item of group) placed.set(item.id, { column: item.column, columns: columnEnds.length });
    group = [];
    columnEnds = [];
  };
  for (const block of ordered) {
    const end = block.top + Math.max(block.length, 1);
    if (block.top >= groupEnd) {
      close();
      groupEnd = -Infinity;
    }
    let column = columnEnds.findIndex((columnEnd) => columnEnd <= block.top);
    if (column === -1) {
      column = columnEnds.length;
      columnEnds.push(end);
    } else {
      columnEnds[column] = end;
    }
    group.push({ id: block.id, column });
    groupEnd = Math.max(groupEnd, end);
  }
  close();
  return placed;
}

/**
 * The hours a day grid shows: the usual working day, widened to whatever is booked (and to
 * "now" when it is in view), within midnight to midnight.
 */
export function visibleHours(blocks: readonly Pick<Block, 'top' | 'length'>[], extra: readonly number[] = [], base = { start: 8, end: 18 }) {
  let start = base.start;
  let end = base.end;
  for (const block of blocks) {
    start = Math.min(start, Math.floor(block.top / 60));
    end = Math.max(end, Math.ceil((block.top + block.length) / 60));
  }
  for (const minutes of extra) {
    start = Math.min(start, Math.floor(minutes / 60));
    end = Math.max(end, Math.ceil(minutes / 60));
  }
  return { start: Math.max(0, start), end: Math.min(24, Math.max(end, start + 1)) };
}
