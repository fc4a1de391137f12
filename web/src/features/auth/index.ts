export { ResetPasswordPage } from './components/ResetPasswordPage';
export { SignInPage } from './components/SignInPage';
