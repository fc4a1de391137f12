export { SetupGuidePage } from './components/SetupGuidePage';
