/** This window's session token: sessionStorage is per window (tab) and survives a reload, not a closed window. */
const KEY = 'duty-console.session';

export const sessionToken = {
  get(): string | null {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set(token: string | null): void {
    try {
      if (token) sessionStorage.setItem(KEY, token);
      else sessionStorage.removeItem(KEY);
    } catch {
      // Storage unavailable: the window logs in again after a reconnect.
    }
  },
};
