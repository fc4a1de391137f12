export { AppointmentPage } from './components/AppointmentPage';
export { AppointmentsPage } from './components/AppointmentsPage';
export { CalendarPage } from './components/CalendarPage';
