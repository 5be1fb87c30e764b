import { AppError } from '../../errors';

/**
 * Meta's customer-service window: a business may send free-form messages for 24 hours after the
 * customer's last message. WhatsApp (Cloud API and through Twilio) then needs an approved template;
 * Messenger and Instagram allow a human agent (HUMAN_AGENT tag) for 7 days. SMS and web chat have no
 * window.
 */
export const WINDOW_MS = 24 * 3600 * 1000;
export const HUMAN_AGENT_MS = 7 * 24 * 3600 * 1000;

export type WindowCheck = { open: true; humanAgentTag?: boolean } | { open: false; reason: string };

export function checkWindow(channel: string, lastCustomerMessageAt: Date | undefined, now = Date.now()): WindowCheck {
  if (channel === 'sms' || channel === 'webchat') return { open: true };
  const age = lastCustomerMessageAt ? now - lastCustomerMessageAt.getTime() : Infinity;
  if (age <= WINDOW_MS) return { open: true };
  if ((channel === 'messenger' || channel === 'instagram') && age <= HUMAN_AGENT_MS) return { open: true, humanAgentTag: true };
  return { open: false, reason: 'The 24-hour customer-service window is closed: send an approved template instead.' };
}

/** `{{1}}`, `{{2}}`... (or named `{{name}}` in declaration order) replaced by the given values. */
export function renderTemplate(body: string, names: string[], values: string[]): string {
  const expected = Math.max(names.length, (body.match(/\{\{\s*\d+\s*\}\}/g) ?? []).length);
  if (values.length !== expected)
    throw new AppError('BAD_REQUEST', `The template needs ${expected} variable(s), got ${values.length}`);
  return body.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, key: string) => {
    const index = /^\d+$/.test(key) ? Number(key) - 1 : names.indexOf(key);
    return values[index] ?? whole;
  });
}
