import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Outlet, useRouteError } from 'react-router';
import { ErrorBoundary } from '@/components/feedback/ErrorBoundary';
import { LoadingState } from '@/components/feedback/states';
import { PageLayout } from '@/components/layout/PageLayout';
import { RequireManager } from './owner/RequireManager';
import { LandingPage } from './routes/LandingPage';
import { NotFoundPage } from './routes/NotFoundPage';

// One chunk per page or feature: the booking page does not carry the owner app.
const BookingPage = lazy(() => import('./routes/booking'));
const ManagePage = lazy(() => import('./routes/manage'));
const ResetPasswordPage = lazy(() => import('./routes/reset-password'));
const auth = () => import('@/features/auth');
const SignInPage = lazy(() => auth().then((m) => ({ default: m.SignInPage })));
const SignUpPage = lazy(() => auth().then((m) => ({ default: m.SignUpPage })));
const ConfirmSignUpPage = lazy(() => auth().then((m) => ({ default: m.ConfirmSignUpPage })));
const ForgotPasswordPage = lazy(() => auth().then((m) => ({ default: m.ForgotPasswordPage })));

const OwnerShell = lazy(() => import('./owner/OwnerShell'));
const OwnerHome = lazy(() => import('./owner/OwnerHome').then((m) => ({ default: m.OwnerHome })));

const calendar = () => import('@/features/calendar');
const CalendarPage = lazy(() => calendar().then((m) => ({ default: m.CalendarPage })));
const AppointmentsPage = lazy(() => calendar().then((m) => ({ default: m.AppointmentsPage })));
const AppointmentPage = lazy(() => calendar().then((m) => ({ default: m.AppointmentPage })));
const setup = () => import('@/features/setup');
const ServicesPage = lazy(() => setup().then((m) => ({ default: m.ServicesPage })));
const StaffPage = lazy(() => setup().then((m) => ({ default: m.StaffPage })));
const StaffMemberPage = lazy(() => setup().then((m) => ({ default: m.StaffMemberPage })));
const SettingsPage = lazy(() => setup().then((m) => ({ default: m.SettingsPage })));
const TeamPage = lazy(() => import('@/features/team').then((m) => ({ default: m.TeamPage })));
const SetupGuidePage = lazy(() => setup().then((m) => ({ default: m.SetupGuidePage })));
const AnalyticsPage = lazy(() => import('@/features/analytics').then((m) => ({ default: m.AnalyticsPage })));
const BillingPage = lazy(() => import('@/features/billing').then((m) => ({ default: m.BillingPage })));

function Shell() {
  return (
    <PageLayout>
      <ErrorBoundary>
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </ErrorBoundary>
    </PageLayout>
  );
}

/** Errors thrown while routing (not rendering) land here; rethrown into our boundary's page. */
function RouteError() {
  const error = useRouteError();
  return (
    <PageLayout>
      <ErrorBoundary>
        <Throw error={error} />
      </ErrorBoundary>
    </PageLayout>
  );
}

function Throw({ error }: { error: unknown }): never {
  throw error instanceof Error ? error : new Error(String(error));
}

const managers = (page: ReactNode) => <RequireManager>{page}</RequireManager>;

export const router = createBrowserRouter([
  {
    element: <Shell />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <LandingPage /> },
      { path: 'b/:slug', element: <BookingPage /> },
      { path: 'manage/:appointmentId', element: <ManagePage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      { path: 'app/sign-in', element: <SignInPage /> },
      { path: 'app/sign-up', element: <SignUpPage /> },
      { path: 'app/confirm-sign-up', element: <ConfirmSignUpPage /> },
      { path: 'app/forgot-password', element: <ForgotPasswordPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  {
    path: 'app',
    element: (
      <Suspense fallback={<LoadingState />}>
        <OwnerShell />
      </Suspense>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <OwnerHome /> },
      { path: 'calendar', element: <CalendarPage /> },
      { path: 'appointments', element: <AppointmentsPage /> },
      { path: 'appointments/:appointmentId', element: <AppointmentPage /> },
      { path: 'analytics', element: <AnalyticsPage /> },
      { path: 'setup', element: managers(<SetupGuidePage />) },
      { path: 'services', element: managers(<ServicesPage />) },
      { path: 'staff', element: managers(<StaffPage />) },
      { path: 'staff/:staffId', element: managers(<StaffMemberPage />) },
      { path: 'settings', element: managers(<SettingsPage />) },
      { path: 'team', element: managers(<TeamPage />) },
      { path: 'billing', element: managers(<BillingPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
