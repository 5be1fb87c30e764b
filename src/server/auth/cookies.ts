import { getEnv } from '../env';

/**
 * Session cookies. Host-only on purpose (no Domain attribute): a cookie set by acme.example.com is
 * never sent to globex.example.com, and even if it were, it is signed with acme's key. The refresh
 * cookie is only sent to the refresh/sign-out endpoints.
 */
export const ACCESS_COOKIE = 'cop_session';
export const REFRESH_COOKIE = 'cop_refresh';
export const REFRESH_PATH = '/api/session';

export function readCookie(headers: Headers, name: string): string | undefined {
  const raw = headers.get('cookie');
  if (!raw) return undefined;
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function serializeCookie(name: string, value: string, opts: { maxAge: number; path?: string }): string {
  const secure = getEnv().PUBLIC_PROTOCOL === 'https' ? '; Secure' : '';
  return `${name}=${encodeURIComponent(value)}; Path=${opts.path ?? '/'}; Max-Age=${opts.maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

export function sessionCookies(access: { token: string; maxAge: number }, refresh: { token: string; maxAge: number }): string[] {
  return [
    serializeCookie(ACCESS_COOKIE, access.token, { maxAge: access.maxAge }),
    serializeCookie(REFRESH_COOKIE, refresh.token, { maxAge: refresh.maxAge, path: REFRESH_PATH }),
  ];
}

export function clearSessionCookies(): string[] {
  return [
    serializeCookie(ACCESS_COOKIE, '', { maxAge: 0 }),
    serializeCookie(REFRESH_COOKIE, '', { maxAge: 0, path: REFRESH_PATH }),
  ];
}
