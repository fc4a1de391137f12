export { BillingPage } from './components/BillingPage';
