import type { components } from './schema';

/** Names for the generated schemas the pages use (`npm run gen:api` regenerates schema.ts). */
type Schemas = components['schemas'];

export type PublicBusiness = Schemas['PublicBusinessResponse'];
export type PublicService = Schemas['PublicService'];
export type PublicStaffMember = Schemas['PublicStaff'];
export type Availability = Schemas['AvailabilityResponse'];
export type PublicSlot = Schemas['SlotResponse'];
export type PublicBookingRequest = Schemas['BookingRequest'];
export type PublicBookingResponse = Schemas['BookingResponse'];
export type CustomerAppointment = Schemas['CustomerAppointmentResponse'];
