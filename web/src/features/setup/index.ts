export { ServicesPage } from './components/ServicesPage';
export { SettingsPage } from './components/SettingsPage';
export { StaffMemberPage } from './components/StaffMemberPage';
export { StaffPage } from './components/StaffPage';
