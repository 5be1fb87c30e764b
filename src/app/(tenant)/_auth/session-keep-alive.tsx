'use client';

import { useEffect } from 'react';

/**
 * Keeps a signed-in page's session alive: access sessions last 15 minutes, so the refresh token is
 * rotated every 10 minutes (and when a tab comes back after a while). One request at a time across
 * all tabs (Web Locks + a shared timestamp), so two refreshes never present the same refresh token,
 * which the server treats as theft and answers by ending the session.
 * When the session has ended (suspension, password change...), the page goes to sign-in.
 */
const EVERY_MS = 10 * 60_000;
let inFlight: Promise<void> | null = null;
let last = Date.now();

const SHARED_KEY = 'cop:session-refreshed-at';

async function rotate(): Promise<void> {
  // Another tab may have just rotated the (shared) cookies: then there is nothing to do.
  const shared = Number(localStorage.getItem(SHARED_KEY) ?? 0);
  if (Date.now() - shared < EVERY_MS / 2) {
    last = shared;
    return;
  }
  const res = await fetch('/api/session/refresh', { method: 'POST' });
  last = Date.now();
  if (res.ok) localStorage.setItem(SHARED_KEY, String(last));
  if (res.status === 401) window.location.assign(`/sign-in?error=ended&next=${encodeURIComponent(window.location.pathname)}`);
}

function refresh(): Promise<void> {
  if (inFlight) return inFlight;
  const locked =
    typeof navigator !== 'undefined' && navigator.locks ? navigator.locks.request('cop-session-refresh', rotate) : rotate();
  inFlight = Promise.resolve(locked)
    .then(() => undefined)
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
