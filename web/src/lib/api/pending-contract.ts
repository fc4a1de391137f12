/**
 * Public endpoints as docs/public-booking-api.md describes them, for as long as the
 * openapi.json snapshot still lacks them or has their older shape. Once `npm run gen:api`
 * brings an endpoint in, delete its entry here: the generated type then rules, and any
 * mismatch with the client fails the build.
 */

type Json<T> = { headers: Record<string, unknown>; content: { 'application/json': T } };

type Operation<Query, Path, Body, Ok, OkStatus extends number = 200> = {
  parameters: ([Query] extends [never] ? { query?: never } : { query: Query }) &
    ([Path] extends [never] ? { path?: never } : { path: Path }) & { header?: never; cookie?: never };
  responses: { [status in OkStatus]: Json<Ok> } & { default: Json<unknown> };
} & ([Body] extends [never] ? { requestBody?: never } : { requestBody: { content: { 'application/json': Body } } });

type NoBody = never;

type NoMethods = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get?: never;
  put?: never;
  post?: never;
  delete?: never;
  options?: never;
  head?: never;
  patch?: never;
  trace?: never;
};

type PathItem<Ops> = Omit<NoMethods, keyof Ops> & Ops;

export interface PublicService {
  id: string;
  name: string;
  duration_minutes: number;
  price: string;
  description: string | null;
}

export interface PublicStaffMember {
  id: string;
  name: string;
}

export interface PublicBusiness {
  slug: string;
  name: string;
  timezone: string;
  address: string | null;
  country: string | null;
  booking_horizon_days: number;
  services: PublicService[];
  staff: PublicStaffMember[];
}

export interface AvailabilityDay {
  date: string;
  available: boolean;
}

export interface Availability {
  timezone: string;
  from: string;
  to: string;
  days: AvailabilityDay[];
  next_available_date: string | null;
}

export interface PublicSlot {
  start: string;
  end: string;
  staff_ids: string[];
}

export interface PublicSlots {
  date: string;
  timezone: string;
  slots: PublicSlot[];
}

export interface PublicBookingRequest {
  service_id: string;
  staff_id: string | null;
  time: string;
  customer_info: { name: string; email?: string | null; phone?: string | null };
  note?: string | null;
}

export interface PublicBookingResponse {
  appointment_id: string;
  status: string;
  staff_id: string;
  start_time: string;
  end_time: string;
  reminders: { remind_at: string; type: string }[];
  manage_token: string;
  manage_url: string;
}

export interface CustomerAppointment {
  id: string;
  status: string;
  service_id: string;
  service_name: string;
  duration_minutes: number;
  price: string;
  staff_id: string;
  staff_name: string;
  start_time: string;
  end_time: string;
  timezone: string;
  note: string | null;
  customer: { name: string; email: string | null; phone: string | null };
  business: { name: string; slug: string; address: string | null; timezone: string };
}

type ManageParams = { appointment_id: string };
type ManageQuery = { token: string };

export interface PendingPaths {
  '/api/v1/public/businesses/{slug}': PathItem<{
    get: Operation<never, { slug: string }, NoBody, PublicBusiness>;
  }>;
  '/api/v1/public/availability': PathItem<{
    get: Operation<
      { service_id: string; from: string; to: string; staff_id?: string },
      never,
      NoBody,
      Availability
    >;
  }>;
  '/api/v1/public/slots': PathItem<{
    get: Operation<{ service_id: string; date: string; staff_id?: string }, never, NoBody, PublicSlots>;
  }>;
  '/api/v1/public/book': PathItem<{
    post: Operation<never, never, PublicBookingRequest, PublicBookingResponse, 201>;
  }>;
  '/api/v1/public/appointments/{appointment_id}': PathItem<{
    get: Operation<ManageQuery, ManageParams, NoBody, CustomerAppointment>;
  }>;
  '/api/v1/public/appointments/{appointment_id}/cancel': PathItem<{
    post: Operation<ManageQuery, ManageParams, { reason?: string | null }, CustomerAppointment>;
  }>;
  '/api/v1/public/appointments/{appointment_id}/reschedule': PathItem<{
    post: Operation<ManageQuery, ManageParams, { time: string }, CustomerAppointment>;
  }>;
}
