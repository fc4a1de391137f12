import { useSyncExternalStore } from 'react';

/**
 * The owner's access token, kept in localStorage so a reload keeps the session. Why a
 * session ended travels with it, so the sign-in page can say so ("expired", "signed out").
 */
export type EndReason = 'expired' | 'signed-out';

interface SessionState {
  token: string | null;
  endReason: EndReason | null;
}

const STORAGE_KEY = 'apptremind.session';
const listeners = new Set<() => void>();

function readToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled: the session lasts as long as the tab
  }
}

let state: SessionState = { token: readToken(), endReason: null };

function update(next: SessionState): void {
  state = next;
  try {
    if (next.token) localStorage.setItem(STORAGE_KEY, next.token);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: keep the in-memory session
  }
  listeners.forEach((listener) => listener());
}

export function accessToken(): string | null {
  return state.token;
}

export function startSession(token: string): void {
  update({ token, endReason: null });
}

export function endSession(reason: EndReason): void {
  if (state.token === null && state.endReason === reason) return;
  update({ token: null, endReason: reason });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, () => state);
}

// Another tab signing in or out changes this tab's session too.
globalThis.addEventListener?.('storage', (event) => {
  if (event.key === STORAGE_KEY) update({ token: event.newValue, endReason: event.newValue ? null : 'signed-out' });
});
