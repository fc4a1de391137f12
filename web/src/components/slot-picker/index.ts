export { AvailabilityCalendar } from './AvailabilityCalendar';
export { slotQueryKeys, useDaySlots, useMonthAvailability } from './queries';
export { SlotPicker, type PickedSlot } from './SlotPicker';
export { TimeSlotList, type TimeSlot } from './TimeSlotList';
