import { describe, expect, it } from 'vitest';
import { exponentialJitter, backoffStrategy, MAX_BACKOFF_MS } from '@/server/queues/backoff';
import { parseRetryAfter } from '@/server/providers/provider-error';
import { checkWindow, renderTemplate } from '@/server/services/inbox/window';

const HOUR = 3600 * 1000;

describe('customer-service window', () => {
  const now = Date.now();
  it('allows free-form WhatsApp for 24 h after the customer last wrote, then only templates', () => {
    expect(checkWindow('whatsapp', new Date(now - 23 * HOUR), now)).toEqual({ open: true });
    expect(checkWindow('whatsapp', new Date(now - 25 * HOUR), now).open).toBe(false);
    expect(checkWindow('twilio_whatsapp', undefined, now).open).toBe(false);
  });
  it('gives Messenger and Instagram the 7-day human agent tag, and SMS / web chat no window', () => {
    expect(checkWindow('messenger', new Date(now - 48 * HOUR), now)).toEqual({ open: true, humanAgentTag: true });
    expect(checkWindow('instagram', new Date(now - 8 * 24 * HOUR), now).open).toBe(false);
    expect(checkWindow('sms', undefined, now)).toEqual({ open: true });
    expect(checkWindow('webchat', undefined, now)).toEqual({ open: true });
  });
  it('renders numbered and named template variables and insists on all of them', () => {
    expect(renderTemplate('Hi {{1}}, order {{2}}', ['name', 'order'], ['Ana', '#7'])).toBe('Hi Ana, order #7');
    expect(renderTemplate('Hi {{name}}', ['name'], ['Bo'])).toBe('Hi Bo');
    expect(() => renderTemplate('Hi {{1}}', ['name'], [])).toThrow(/needs 1 variable/);
  });
});

describe('provider backoff', () => {
  it('grows exponentially with jitter inside [ceiling/2, ceiling], capped', () => {
    for (let attempt = 1; attempt <= 6; attempt++) {
      const ceiling = 1000 * 2 ** (attempt - 1);
      expect(exponentialJitter(attempt, 1000, () => 0)).toBe(ceiling / 2);
      expect(exponentialJitter(attempt, 1000, () => 1)).toBe(ceiling);
    }
    expect(exponentialJitter(40, 1000, () => 1)).toBe(MAX_BACKOFF_MS);
  });
  it("honours the provider's Retry-After (seconds or HTTP date)", async () => {
    const err = Object.assign(new Error('429'), { retryAfterMs: 7000 });
    expect(await backoffStrategy(1, 'provider', err)).toBe(7000);
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThan(8000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
