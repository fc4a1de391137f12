export { ServicesPage } from './components/ServicesPage';
export { SettingsPage } from './components/SettingsPage';
export { SetupGuidePage } from './components/SetupGuidePage';
export { StaffMemberPage } from './components/StaffMemberPage';
export { StaffPage } from './components/StaffPage';
