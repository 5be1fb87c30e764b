import { getEnv } from '../../env';

/**
 * Cookies of the platform host. No Domain attribute: host-only, so tenant subdomains never receive
 * them. Behind TLS the `__Host-` prefix makes browsers enforce exactly that (Secure, Path=/, no Domain).
 */
export type PlatformCookie = 'session' | 'challenge';

export function platformCookieName(which: PlatformCookie): string {
  const name = which === 'session' ? 'platform_session' : 'platform_challenge';
  return getEnv().PUBLIC_PROTOCOL === 'https' ? `__Host-${name}` : name;
}

export function setCookieHeader(which: PlatformCookie, value: string, maxAgeSeconds: number): string {
  const secure = getEnv().PUBLIC_PROTOCOL === 'https' ? '; Secure' : '';
  return `${platformCookieName(which)}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function clearCookieHeader(which: PlatformCookie): string {
  return setCookieHeader(which, '', 0);
}

export function readCookie(headers: Headers, which: PlatformCookie): string | undefined {
  const name = platformCookieName(which);
  for (const part of (headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
