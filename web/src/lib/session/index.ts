export { accessToken, endSession, startSession, useSession } from './store';
export type { EndReason } from './store';
export { canManage, ownerKeys, useBusinessProfile, useMe } from './owner';
export type { BusinessProfile, Login, Role } from './owner';
