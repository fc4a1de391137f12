/** Links every page builds the same way: the manage page and the appointment's calendar file. */

export function manageLink(appointmentId: string, token: string): string {
  return `/manage/${encodeURIComponent(appointmentId)}?token=${encodeURIComponent(token)}`;
}

export function calendarFileLink(appointmentId: string, token: string): string {
  return `/api/v1/public/appointments/${encodeURIComponent(appointmentId)}/calendar.ics?token=${encodeURIComponent(token)}`;
}
