import type { StatusEvent } from '@/server/services/inbox/events';

/** Status callback (MessageStatus, ErrorCode): queued/sending are ours already; undelivered is a failure. */
const MAP: Record<string, StatusEvent['status']> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'failed',
};

export function parseTwilioStatus(p: URLSearchParams, channel: 'sms' | 'twilio_whatsapp'): StatusEvent[] {
  const sid = p.get('MessageSid');
  const status = MAP[p.get('MessageStatus') ?? ''];
  if (!sid || !status) return [];
  const code = p.get('ErrorCode');
  const error =
    status === 'failed'
      ? { code: code ?? 'unknown', message: p.get('ErrorMessage') ?? `Twilio error ${code ?? 'unknown'}` }
      : undefined;
  return [{ kind: 'status', channel, providerMessageId: sid, status, timestamp: Date.now(), error }];
}
