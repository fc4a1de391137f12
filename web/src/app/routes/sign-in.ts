export { SignInPage as default } from '@/features/auth';
