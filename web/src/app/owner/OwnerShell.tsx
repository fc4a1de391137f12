import { OwnerLayout } from './OwnerLayout';
import { RequireSignIn } from './RequireSignIn';

/** Everything under /app after sign-in; a chunk of its own so the booking page stays small. */
export default function OwnerShell() {
  return (
    <RequireSignIn>
      <OwnerLayout />
    </RequireSignIn>
  );
}
