export { ManagePage } from './components/ManagePage';
