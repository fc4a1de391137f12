import { lazy, Suspense } from 'react';
import { createBrowserRouter, Outlet, useRouteError } from 'react-router';
import { ErrorBoundary } from '@/components/feedback/ErrorBoundary';
import { LoadingState } from '@/components/feedback/states';
import { PageLayout } from '@/components/layout/PageLayout';
import { LandingPage } from './routes/LandingPage';
import { NotFoundPage } from './routes/NotFoundPage';

// One chunk per page: the booking page does not carry the manage or account pages.
const BookingPage = lazy(() => import('./routes/booking'));
const ManagePage = lazy(() => import('./routes/manage'));
const ResetPasswordPage = lazy(() => import('./routes/reset-password'));
const SignInPage = lazy(() => import('./routes/sign-in'));

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
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
