'use client';

import { useEffect } from 'react';

/**
 * Keeps a signed-in page's session alive: access sessions last 15 minutes, so the refresh token is
 * rotated every 10 minutes (and when a tab comes back after a while). One request at a time, so two
 * refreshes never present the same refresh token (which would look like theft and end the session).
 * When the session has ended (suspension, password change...), the page goes to sign-in.
 */
const EVERY_MS = 10 * 60_000;
let inFlight: Promise<void> | null = null;
let last = Date.now();

function refresh(): Promise<void> {
  inFlight ??= fetch('/api/session/refresh', { method: 'POST' })
    .then((res) => {
      last = Date.now();
      if (res.status === 401) window.location.assign(`/sign-in?error=ended&next=${encodeURIComponent(window.location.pathname)}`);
    })
    .catch(() => undefined) // offline: try again at the next tick
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

export function SessionKeepAlive() {
  useEffect(() => {
    const timer = setInterval(() => void refresh(), EVERY_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible' && Date.now() - last > EVERY_MS) void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);
  return null;
}
