'use client';

import type { InputHTMLAttributes, ReactNode } from 'react';

/** Labelled input, keyboard-friendly; the id ties the label to the field for screen readers. */
export function Field({ label, id, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; id: string }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        className="border-border bg-background focus:ring-primary block w-full rounded-md border px-3 py-2 text-base outline-none focus:ring-2 sm:text-sm"
        {...input}
      />
    </div>
  );
}

export function SubmitButton({ busy, children }: { busy: boolean; children: ReactNode }) {
  return (
    <button
      type="submit"
      disabled={busy}
      className="bg-primary text-primary-foreground focus-visible:ring-primary w-full rounded-md px-4 py-2.5 font-medium shadow-sm focus-visible:ring-2 focus-visible:ring-offset-2 focus-visible:outline-none disabled:opacity-60"
    >
      {busy ? 'Please wait…' : children}
    </button>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p
      role="alert"
      className="border-destructive text-destructive rounded-md border bg-red-50 px-3 py-2 text-sm"
      data-testid="form-error"
    >
      {message}
    </p>
  );
}

/** POST JSON to one of our /api/session endpoints; the error text is the server's own words. */
export async function postJson(path: string, body: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.ok) return { ok: true };
    const data = (await res.json().catch(() => ({}))) as { error?: string };
    return { ok: false, error: data.error ?? `Something went wrong (${res.status}). Try again.` };
  } catch {
    return { ok: false, error: 'Cannot reach the server. Check your connection and try again.' };
  }
}
