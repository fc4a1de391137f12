import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Stack, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { publicSlotSource, SlotPicker, slotQueryKeys, type PickedSlot } from '@/components/slot-picker';
import { describeError, isApiError, type PublicBookingResponse, type PublicBusiness } from '@/lib/api';
import { dayInZone, formatDay, formatTime } from '@/lib/datetime';
import { formatPrice } from '@/lib/money';
import { useBookAppointment } from '../api/book';
import { usePublicConfig } from '../api/config';
import {
  customerDetailsSchema,
  formFieldOf,
  toCustomerInfo,
  type CustomerDetails,
  type CustomerDetailsInput,
} from '../utils/customer-details';
import { IdempotencyKeys } from '../utils/idempotency';
import { BookingConfirmation } from './BookingConfirmation';
import { BusinessHeader } from './BusinessHeader';
import { CaptchaWidget, type CaptchaWidgetHandle } from './CaptchaWidget';
import { CustomerForm } from './CustomerForm';
import { ServiceChoice } from './ServiceChoice';
import { ANY_STAFF, StaffChoice } from './StaffChoice';

// The API's 409 title while another request with the same Idempotency-Key is booking.
const BOOKING_IN_PROGRESS = 'Booking already in progress';

/** Service → staff → day → time → details → confirm, for one business already loaded. */
export function BookingFlow({ business }: { business: PublicBusiness }) {
  const queryClient = useQueryClient();
  const [serviceId, setServiceId] = useState<string | null>(
    business.services.length === 1 ? (business.services[0]?.id ?? null) : null,
  );
  const [staffChoice, setStaffChoice] = useState<string>(ANY_STAFF);
  const [slot, setSlot] = useState<PickedSlot | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmed, setConfirmed] = useState<PublicBookingResponse | null>(null);
  const book = useBookAppointment();
  // A second click can land before React re-renders the disabled button; this guard cannot.
  const submitting = useRef(false);
  // One Idempotency-Key per booking intent: a retry (the answer was lost) can't book twice.
  const idempotencyKeys = useRef(new IdempotencyKeys());
  // With the CAPTCHA check on, each booking attempt carries a fresh token of the widget.
  const config = usePublicConfig();
  const captcha = config.data?.captcha ?? null;
  const captchaWidget = useRef<CaptchaWidgetHandle>(null);
  const [captchaToken, setCaptchaToken] = useState<string | null>(null);
  const [captchaError, setCaptchaError] = useState<string | null>(null);

  // The form lives here, not in CustomerForm, so typed details survive a slot being taken.
  const form = useForm<CustomerDetailsInput, unknown, CustomerDetails>({
    resolver: zodResolver(customerDetailsSchema),
    defaultValues: { name: '', email: '', phoneCountry: business.country, phone: '', note: '' },
    mode: 'onTouched',
  });

  const service = business.services.find((candidate) => candidate.id === serviceId) ?? null;
  const staffId = staffChoice === ANY_STAFF ? null : staffChoice;

  if (confirmed && service) return <BookingConfirmation booking={confirmed} business={business} service={service} />;

  if (business.services.length === 0) {
    return (
      <Stack gap="lg">
        <BusinessHeader business={business} />
        <Alert color="gray" title="Nothing to book yet">
          {business.name} does not offer online booking for any service at the moment.
        </Alert>
      </Stack>
    );
  }

  const submit = async (details: CustomerDetails) => {
    if (!service || !slot || submitting.current) return;
    if (captcha && !captchaToken) {
      setCaptchaError('Please complete the robot check first.');
      return;
    }
    submitting.current = true;
    setProblem(null);
    setCaptchaError(null);
    try {
      const request = {
        service_id: service.id,
        staff_id: staffId,
        time: slot.start,
        customer_info: toCustomerInfo(details),
        note: details.note.trim() || null,
        ...(captcha && captchaToken ? { captcha_token: captchaToken } : {}),
      };
      const booking = await book.mutateAsync({
        request,
        idempotencyKey: idempotencyKeys.current.keyFor(request),
      });
      idempotencyKeys.current.forget();
      setConfirmed(booking);
      void queryClient.invalidateQueries({ queryKey: slotQueryKeys.all });
    } catch (error) {
      // A token is good for one attempt, whatever its outcome: the next one needs a new check.
      if (captcha) {
        setCaptchaToken(null);
        captchaWidget.current?.reset();
      }
      const captchaRefusal = isApiError(error, 422)
        ? error.fieldErrors.find((field) => field.field === 'captcha_token')
        : undefined;
      if (captchaRefusal) {
        setCaptchaError(captchaRefusal.message);
        // The check was turned on after this page loaded: the widget comes with the new config.
        if (!captcha) void config.refetch();
      } else if (isApiError(error, 503)) {
        setProblem(
          'We could not confirm your booking just now, and nothing was booked. ' +
            'Your details are still here: please try again in a moment.',
        );
      } else if (isApiError(error, 409) && error.title === BOOKING_IN_PROGRESS) {
        // An earlier attempt of this booking is still being written: the same key answers it.
        setProblem('Your booking is still being confirmed. Please press confirm again in a moment.');
      } else if (isApiError(error, 409)) {
        setProblem(
          `Sorry, ${formatTime(slot.start, business.timezone)} was booked by someone else a moment ago. ` +
            'Your details are still here: please pick another time.',
        );
        setSlot(null);
        void queryClient.invalidateQueries({ queryKey: slotQueryKeys.all });
      } else if (isApiError(error, 422) && error.fieldErrors.some((field) => formFieldOf(field.field))) {
        for (const fieldError of error.fieldErrors) {
          const field = formFieldOf(fieldError.field);
          if (field) form.setError(field, { message: fieldError.message });
        }
        setProblem('Please check the highlighted fields.');
      } else if (isApiError(error, 422) && error.fieldErrors.length > 0) {
        // E.g. the time became too soon to book while the form was being filled in.
        setProblem(`${error.fieldErrors.map((field) => field.message).join(' ')} Please pick another time.`);
        setSlot(null);
      } else if (isApiError(error, 404)) {
        setProblem('This service or staff member can no longer be booked online. Please reload the page.');
      } else {
        setProblem(describeError(error));
      }
    } finally {
      submitting.current = false;
    }
  };

  return (
    <Stack gap="xl">
      <BusinessHeader business={business} />

      <section aria-labelledby="choose-service">
        <Title order={2} id="choose-service" size="h3" mb="sm">
          Choose a service
        </Title>
        <ServiceChoice
          services={business.services}
          currency={business.currency}
          value={serviceId}
          onChange={(id) => {
            setServiceId(id);
            setSlot(null);
          }}
        />
      </section>

      {service && business.staff.length > 0 && (
        <section aria-labelledby="choose-staff">
          <Title order={2} id="choose-staff" size="h3" mb="sm">
            Choose who you would like
          </Title>
          <StaffChoice
            staff={business.staff}
            value={staffChoice}
            onChange={(value) => {
              setStaffChoice(value);
              setSlot(null);
            }}
          />
        </section>
      )}

      {service && (
        <SlotPicker
          key={`${service.id}:${staffChoice}`}
          source={publicSlotSource(service.id, staffId)}
          timezone={business.timezone}
          horizonDays={business.booking_horizon_days}
          selectedStart={slot?.start ?? null}
          onSelect={(picked) => {
            setSlot(picked);
            if (picked) setProblem(null);
          }}
        />
      )}

      {problem && (
        <Alert color="orange" title="Not booked yet" role="alert">
          {problem}
        </Alert>
      )}

      {service && slot && (
        <section aria-labelledby="your-details">
          <Title order={2} id="your-details" size="h3" mb="sm">
            Your details
          </Title>
          <CustomerForm
            form={form}
            onSubmit={(details) => void submit(details)}
            submitting={book.isPending}
            check={
              captcha && (
                <CaptchaWidget
                  ref={captchaWidget}
                  config={captcha}
                  error={captchaError}
                  onToken={(token) => {
                    setCaptchaToken(token);
                    if (token) setCaptchaError(null);
                  }}
                />
              )
            }
            waitingFor={captcha && !captchaToken ? 'Complete the robot check above to confirm your booking.' : null}
            summary={`${service.name} (${formatPrice(service.price, business.currency)}), ${formatDay(dayInZone(slot.start, business.timezone))} at ${formatTime(slot.start, business.timezone)} (${business.timezone})`}
          />
        </section>
      )}
    </Stack>
  );
}
