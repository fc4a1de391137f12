/**
 * The calendar's and the list's state live in the address, so a reload, a shared link and
 * the back button keep the day, the view and the filters.
 */
import type { CalendarDay } from '@/lib/datetime';
import { isAppointmentStatus, type AppointmentStatus } from '../types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(value: string | null): CalendarDay | null {
  if (!value || !DAY.test(value)) return null;
  const date = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) ? value : null;
}

export type CalendarView = 'day' | 'week';

export interface CalendarState {
  view: CalendarView;
  day: CalendarDay;
  staffId: string | null;
  showCancelled: boolean;
}

export function readCalendarState(params: URLSearchParams, today: CalendarDay, defaultView: CalendarView): CalendarState {
  const view = params.get('view');
  return {
    view: view === 'day' || view === 'week' ? view : defaultView,
    day: validDay(params.get('date')) ?? today,
    staffId: params.get('staff') || null,
    showCancelled: params.get('cancelled') === '1',
  };
}

/** Only what differs from the defaults goes in the address. */
export function writeCalendarState(state: CalendarState, today: CalendarDay, defaultView: CalendarView): URLSearchParams {
  const params = new URLSearchParams();
  if (state.view !== defaultView) params.set('view', state.view);
  if (state.day !== today) params.set('date', state.day);
  if (state.staffId) params.set('staff', state.staffId);
  if (state.showCancelled) params.set('cancelled', '1');
  return params;
}

export const PAGE_SIZES = [10, 25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 25;

export interface ListState {
  /** First day shown; null: no lower bound. Absent from the address: today. */
  from: CalendarDay | null;
  /** Last day shown (inclusive); null: no upper bound. */
  to: CalendarDay | null;
  staffId: string | null;
  status: AppointmentStatus | null;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export function readListState(params: URLSearchParams, today: CalendarDay): ListState {
  const page = Number(params.get('page'));
  const size = Number(params.get('size'));
  const status = params.get('status');
  return {
    // An empty `from=` is the owner's choice of "any time"; no `from` at all starts today.
    from: params.has('from') ? validDay(params.get('from')) : today,
    to: validDay(params.get('to')),
    staffId: params.get('staff') || null,
    status: isAppointmentStatus(status) ? status : null,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

export function writeListState(state: ListState, today: CalendarDay): URLSearchParams {
  const params = new URLSearchParams();
  if (state.from !== today) params.set('from', state.from ?? '');
  if (state.to) params.set('to', state.to);
  if (state.staffId) params.set('staff', state.staffId);
  if (state.status) params.set('status', state.status);
  if (state.page > 1) params.set('page', String(state.page));
  if (state.pageSize !== DEFAULT_PAGE_SIZE) params.set('size', String(state.pageSize));
  return params;
}
