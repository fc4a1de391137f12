import type { Login, Role } from '@/lib/session';

export const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', admin: 'Admin', staff: 'Staff' };

/** What each role can do, as the API enforces it (api/deps.py, apptremind/auth/service.py). */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Everything, including the plan and payments, and adding logins.',
  admin:
    'Calendar, appointments and analytics, plus services, staff and hours, settings, team roles and the billing overview.',
  staff: 'Calendar, appointments and analytics only.',
};

export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role;
}

const RANK: Record<string, number> = { owner: 0, admin: 1, staff: 2 };

/** Active logins first, then by role (owners first) and email. */
export function sortLogins(logins: readonly Login[]): Login[] {
  return [...logins].sort(
    (a, b) =>
      Number(b.is_active) - Number(a.is_active) ||
      (RANK[a.role] ?? 9) - (RANK[b.role] ?? 9) ||
      a.email.localeCompare(b.email),
  );
}

/**
 * Why the signed-in login cannot change `target`, or null when it can. The API refuses the
 * same (409 for oneself, 403 for an admin touching an owner); the page says so up front.
 */
export function lockReason(me: Pick<Login, 'id' | 'role'>, target: Pick<Login, 'id' | 'role'>): string | null {
  if (me.id === target.id) return 'This is your own login: you cannot change its role or deactivate it.';
  if (target.role === 'owner' && me.role !== 'owner') return "Only an owner can change an owner's login.";
  return null;
}

/** The roles a login can be given here: admin or staff; an owner's row keeps "Owner" to show it. */
export function roleChoices(target: Pick<Login, 'role'>): Role[] {
  return target.role === 'owner' ? ['owner', 'admin', 'staff'] : ['admin', 'staff'];
}
