export { BookingPage } from './components/BookingPage';
