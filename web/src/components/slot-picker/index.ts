export { AvailabilityCalendar } from './AvailabilityCalendar';
export {
  publicSlotSource,
  slotQueryKeys,
  useDaySlots,
  useMonthAvailability,
  type SlotAvailability,
  type SlotDay,
  type SlotSource,
} from './queries';
export { SlotPicker, type PickedSlot } from './SlotPicker';
export { TimeSlotList, type TimeSlot } from './TimeSlotList';
