import type { InboxEvent } from '@/server/services/inbox/events';
import { parseTwilioMessage } from './message';
import { parseTwilioStatus } from './status';

/** Status callbacks carry MessageStatus; incoming messages do not. */
export function parseTwilioWebhook(p: URLSearchParams, channel: 'sms' | 'twilio_whatsapp'): InboxEvent[] {
  return p.has('MessageStatus') ? parseTwilioStatus(p, channel) : parseTwilioMessage(p, channel);
}
