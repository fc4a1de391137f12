export { ManagePage as default } from '@/features/manage';
