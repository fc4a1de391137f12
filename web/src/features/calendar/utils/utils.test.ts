import { ApiError } from '@/lib/api';
import type { Appointment, StaffMember } from '../types';
import { availableActions, historyOf, remindersOf } from './appointment';
import { describeClockChange, formatHour } from './format';
import { lanesFor, overlapColumns, visibleHours } from './layout';
import { refusalMessage } from './refusal';
import { readCalendarState, readListState, writeCalendarState, writeListState } from './url-state';

const YEAR = new Date().getUTCFullYear() + 1;

function lastSunday(year: number, month: number): string {
  const last = new Date(Date.UTC(year, month, 0));
  last.setUTCDate(last.getUTCDate() - last.getUTCDay());
  return last.toISOString().slice(0, 10);
}

function appointment(overrides: Partial<Appointment> = {}): Appointment {
  return {
    id: 'a1',
    status: 'booked',
    staff_id: 's1',
    staff_name: 'Mia',
    service_id: 'v1',
    service_name: 'Haircut',
    duration_minutes: 60,
    price: '30.00',
    start_time: `${YEAR}-05-04T10:00:00+02:00`,
    end_time: `${YEAR}-05-04T11:00:00+02:00`,
    note: null,
    customer: { name: 'Ada', email: 'ada@example.com', phone: null },
    reminders: [],
    history: [],
    ...overrides,
  };
}

function staff(id: string, name: string, active = true): StaffMember {
  return { id, name, is_active: active, working_hours: [] };
}

describe('which actions the API will accept', () => {
  const start = new Date(`${YEAR}-05-04T10:00:00+02:00`);
  it('offers moving and cancelling before the start, closing only from the start on', () => {
    const before = availableActions(appointment(), new Date(start.getTime() - 60_000));
    expect(before).toEqual({ reschedule: true, cancel: true, complete: false, noShow: false, waitsForStart: true });
    const at = availableActions(appointment(), start);
    expect(at).toEqual({ reschedule: true, cancel: true, complete: true, noShow: true, waitsForStart: false });
  });

  it('offers nothing once the appointment is closed', () => {
    for (const status of ['cancelled', 'completed', 'no_show']) {
      const actions = availableActions(appointment({ status }), new Date(start.getTime() + 3_600_000));
      expect(Object.values(actions).some(Boolean)).toBe(false);
    }
  });
});

describe('history and reminders from any API version', () => {
  it('reads the history when the API sends it and an empty one when not', () => {
    const older: Partial<Appointment> = appointment();
    delete older.history;
    expect(historyOf(older as Appointment)).toEqual([]);
    const withHistory = {
      ...appointment(),
      history: [
        { status: 'booked', at: `${YEAR}-05-01T09:00:00+02:00` },
        { status: 'cancelled', at: `${YEAR}-05-02T09:00:00+02:00`, reason: 'Ill', actor: 'owner:u1' },
        { nonsense: true },
      ],
    } as unknown as Appointment;
    expect(historyOf(withHistory)).toEqual([
      { status: 'booked', at: `${YEAR}-05-01T09:00:00+02:00`, reason: null, actor: null, fromTime: null, toTime: null },
      { status: 'cancelled', at: `${YEAR}-05-02T09:00:00+02:00`, reason: 'Ill', actor: 'owner:u1', fromTime: null, toTime: null },
    ]);
  });

  it('takes the channel and failure reason when present, the type otherwise', () => {
    // An API from before channels and reasons: the type names the channel.
    const older = { id: 'r1', remind_at: `${YEAR}-05-03T10:00:00+02:00`, type: 'email', status: 'failed', sent_at: null };
    const olderAppointment = { ...appointment(), reminders: [older] } as unknown as Appointment;
    expect(remindersOf(olderAppointment)[0]).toMatchObject({ channel: 'email', failureReason: null });
    const newer = { ...older, type: 'sms', channel: 'sms' as const, failure_reason: 'The number opted out' };
    expect(remindersOf(appointment({ reminders: [newer] }))[0]).toMatchObject({
      channel: 'sms',
      failureReason: 'The number opted out',
    });
  });
});

describe('refusals in plain words', () => {
  const context = { startTime: `${YEAR}-05-04T10:00:00+02:00`, zone: 'Europe/Berlin', currentStatus: 'booked' };

  it('explains a close before the start with the start time', () => {
    const error = new ApiError(409, 'Invalid appointment transition', 'An appointment cannot be marked as no-show before it starts');
    const message = refusalMessage('noShow', error, context);
    expect(message).toMatch(/can’t mark it as a no-show before it has started/);
    expect(message).toMatch(/10:00/);
    expect(message).toMatch(/Europe\/Berlin/);
  });

  it('says what the appointment is now when it changed meanwhile', () => {
    const error = new ApiError(409, 'Invalid appointment transition', 'This appointment is already closed');
    expect(refusalMessage('cancel', error, { ...context, currentStatus: 'cancelled' })).toBe(
      'This appointment is already closed. It is now cancelled, so there is nothing more to change.',
    );
  });

  it('asks for another time when the new one was taken, and explains a missing appointment', () => {
    const taken = new ApiError(409, 'Slot not available', 'Nobody is free at this time any more');
    expect(refusalMessage('reschedule', taken, context)).toMatch(/pick another time/);
    expect(refusalMessage('complete', new ApiError(404, 'Appointment not found', null), context)).toMatch(/no longer exists/);
  });
});

describe('lanes and blocks', () => {
  it('gives each active staff member a lane, and a lane to anyone else with appointments', () => {
    const team = [staff('s1', 'Mia'), staff('s2', 'Leo', false), staff('s3', 'Ana')];
    expect(lanesFor(team, [], null).map((lane) => lane.name)).toEqual(['Mia', 'Ana']);
    const booked = [appointment({ staff_id: 's2', staff_name: 'Leo' }), appointment({ staff_id: 's9', staff_name: 'Zoe' })];
    expect(lanesFor(team, booked, null).map((lane) => lane.name)).toEqual(['Mia', 'Leo (inactive)', 'Ana', 'Zoe']);
    // The staff list refused or not loaded: lanes from the appointments.
    expect(lanesFor(undefined, booked, null).map((lane) => lane.name)).toEqual(['Leo', 'Zoe']);
    expect(lanesFor(team, booked, 's3')).toEqual([{ id: 's3', name: 'Ana' }]);
  });

  it('puts overlapping blocks side by side and the rest full width', () => {
    const columns = overlapColumns([
      { id: 'a', top: 600, length: 60 },
      { id: 'b', top: 630, length: 60 },
      { id: 'c', top: 680, length: 30 },
      { id: 'd', top: 800, length: 30 },
    ]);
    expect(columns.get('a')).toEqual({ column: 0, columns: 2 });
    expect(columns.get('b')).toEqual({ column: 1, columns: 2 });
    expect(columns.get('c')).toEqual({ column: 0, columns: 2 });
    expect(columns.get('d')).toEqual({ column: 0, columns: 1 });
  });

  it('shows the working day, widened to early and late appointments', () => {
    expect(visibleHours([])).toEqual({ start: 8, end: 18 });
    expect(visibleHours([{ top: 6 * 60 + 30, length: 60 }, { top: 20 * 60, length: 90 }])).toEqual({ start: 6, end: 22 });
    expect(visibleHours([{ top: 23 * 60, length: 60 }])).toEqual({ start: 8, end: 24 });
  });
});

describe('words for days and clocks', () => {
  it('describes the spring-forward and fall-back days', () => {
    expect(describeClockChange(lastSunday(YEAR, 3), 'Europe/Berlin', 'en-GB')).toBe(
      'Clocks go forward one hour at 02:00 (GMT+1 → GMT+2): this day has 23 hours.',
    );
    expect(describeClockChange(lastSunday(YEAR, 10), 'Europe/Berlin', 'en-GB')).toBe(
      'Clocks go back one hour at 03:00 (GMT+2 → GMT+1): this day has 25 hours.',
    );
    expect(describeClockChange(`${YEAR}-05-04`, 'Europe/Berlin', 'en-GB')).toBeNull();
    expect(formatHour(9, 'en-GB')).toBe('09:00');
  });
});

describe('state in the address', () => {
  const today = `${YEAR}-05-04`;

  it('keeps the calendar’s view, day, staff and cancelled switch, and only what differs', () => {
    const state = readCalendarState(new URLSearchParams('view=day&date=2031-02-03&staff=s1&cancelled=1'), today, 'week');
    expect(state).toEqual({ view: 'day', day: '2031-02-03', staffId: 's1', showCancelled: true });
    expect(writeCalendarState(state, today, 'week').toString()).toBe('view=day&date=2031-02-03&staff=s1&cancelled=1');
    expect(readCalendarState(new URLSearchParams('date=2031-02-30&view=month'), today, 'week')).toEqual({
      view: 'week',
      day: today,
      staffId: null,
      showCancelled: false,
    });
    expect(writeCalendarState({ view: 'week', day: today, staffId: null, showCancelled: false }, today, 'week').toString()).toBe('');
  });

  it('starts the list today, lets the owner clear it, and keeps filters and page', () => {
    expect(readListState(new URLSearchParams(), today)).toMatchObject({ from: today, to: null, page: 1, pageSize: 25 });
    const cleared = readListState(new URLSearchParams('from=&status=no_show&page=3&size=10'), today);
    expect(cleared).toEqual({ from: null, to: null, staffId: null, status: 'no_show', page: 3, pageSize: 10 });
    expect(writeListState(cleared, today).toString()).toBe('from=&status=no_show&page=3&size=10');
    expect(readListState(new URLSearchParams('status=lost&page=-2&size=7'), today)).toMatchObject({
      status: null,
      page: 1,
      pageSize: 25,
    });
  });
});
