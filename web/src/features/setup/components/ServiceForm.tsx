import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm, type Resolver } from 'react-hook-form';
import type { Service, ServiceInput } from '../api/services';
import { useFormSave } from '../hooks/use-form-save';
import { MAX_BUFFER, MAX_DURATION, MAX_PRICE, serviceSchema, type ServiceValues } from '../utils/schemas';
import { SaveProblem } from './Feedback';
import { NumberField, type NumberFieldProps } from './NumberField';

const FIELDS = [
  'name',
  'description',
  'duration_minutes',
  'price',
  'buffer_before_minutes',
  'buffer_after_minutes',
] as const;

/** The form's values: the price starts empty, for the owner to type. */
type ServiceFormValues = Omit<ServiceValues, 'price'> & { price: number | '' };

export const NEW_SERVICE: ServiceFormValues = {
  name: '',
  description: '',
  duration_minutes: 30,
  price: '',
  buffer_before_minutes: 0,
  buffer_after_minutes: 0,
};

export function serviceValues(service: Service): ServiceFormValues {
  return {
    name: service.name,
    description: service.description ?? '',
    duration_minutes: service.duration_minutes,
    price: Number(service.price),
    buffer_before_minutes: service.buffer_before_minutes,
    buffer_after_minutes: service.buffer_after_minutes,
  };
}

export function serviceBody(values: ServiceValues): ServiceInput {
  return {
    name: values.name,
    description: values.description.trim() || null,
    duration_minutes: values.duration_minutes,
    price: values.price.toFixed(2),
    buffer_before_minutes: values.buffer_before_minutes,
    buffer_after_minutes: values.buffer_after_minutes,
  };
}

interface ServiceFormProps {
  initial?: ServiceFormValues;
  submitLabel: string;
  /** The business's (ISO 4217), named beside the price; undefined while it loads. */
  currency?: string;
  onSubmit: (body: ServiceInput) => Promise<unknown>;
  onCancel?: () => void;
}

/** Name, length, price and optional buffers of one service; the API's refusals land on the fields. */
export function ServiceForm({ initial = NEW_SERVICE, submitLabel, currency, onSubmit, onCancel }: ServiceFormProps) {
  const {
    register,
    control,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ServiceFormValues, unknown, ServiceValues>({
    resolver: zodResolver(serviceSchema) as unknown as Resolver<ServiceFormValues, unknown, ServiceValues>,
    mode: 'onTouched',
    defaultValues: initial,
  });
  const { problem, save } = useFormSave(setError, FIELDS);

  const submit = (values: ServiceValues) => save(() => onSubmit(serviceBody(values)));

  return (
    <form onSubmit={handleSubmit(submit)} noValidate aria-label="Service">
      <Stack gap="md">
        <TextInput
          label="Name"
          description="As customers see it, e.g. Haircut or Consultation"
          required
          error={errors.name?.message}
          {...register('name')}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" verticalSpacing="md">
          <MinutesInput
            control={control}
            name="duration_minutes"
            label="Length (minutes)"
            min={1}
            max={MAX_DURATION}
            required
          />
          <NumberField
            control={control}
            name="price"
            label={currency ? `Price (${currency})` : 'Price'}
            required
            min={0}
            max={MAX_PRICE}
            decimalScale={2}
            allowNegative={false}
            hideControls
            inputMode="decimal"
          />
          <MinutesInput
            control={control}
            name="buffer_before_minutes"
            label="Buffer before (minutes)"
            description="Free time kept before each booking, e.g. to prepare"
            min={0}
            max={MAX_BUFFER}
          />
          <MinutesInput
            control={control}
            name="buffer_after_minutes"
            label="Buffer after (minutes)"
            description="Free time kept after each booking, e.g. to clean up"
            min={0}
            max={MAX_BUFFER}
          />
        </SimpleGrid>
        <Textarea
          label="Description"
          description="Optional: what is included, what to bring"
          autosize
          minRows={2}
          maxRows={6}
          error={errors.description?.message}
          {...register('description')}
        />
        {problem && <SaveProblem {...problem} title="Service not saved" />}
        <Group justify="flex-end" gap="sm">
          {onCancel && (
            <Button variant="default" onClick={onCancel} disabled={isSubmitting}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={isSubmitting}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type MinutesInputProps = Pick<
  NumberFieldProps<ServiceFormValues, ServiceValues>,
  'control' | 'label' | 'description' | 'min' | 'max' | 'required'
> & { name: 'duration_minutes' | 'buffer_before_minutes' | 'buffer_after_minutes' };

/** A whole number of minutes, in steps of 5 with the arrow keys. */
function MinutesInput(props: MinutesInputProps) {
  return <NumberField {...props} step={5} allowDecimal={false} allowNegative={false} inputMode="numeric" />;
}
