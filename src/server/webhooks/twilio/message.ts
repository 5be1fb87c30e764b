import type { InboundMessage } from '@/server/services/inbox/events';

/**
 * Incoming SMS / WhatsApp message (form fields MessageSid, From, To, Body, NumMedia, MediaUrlN,
 * MediaContentTypeN, ProfileName, Latitude/Longitude, ButtonPayload/ButtonText).
 */
export function parseTwilioMessage(p: URLSearchParams, channel: 'sms' | 'twilio_whatsapp'): InboundMessage[] {
  const sid = p.get('MessageSid') ?? p.get('SmsMessageSid');
  const from = p.get('From');
  if (!sid || !from) return [];
  const phone = from.replace(/^whatsapp:/, '');
  const base = {
    kind: 'message' as const,
    channel,
    providerMessageId: sid,
    from: { externalId: from, phone, name: p.get('ProfileName') ?? undefined },
    timestamp: Date.now(), // Twilio sends no timestamp with incoming messages
    text: p.get('Body') || undefined,
  };
  const count = Math.min(Number(p.get('NumMedia') ?? 0) || 0, 10);
  const attachments = Array.from({ length: count }, (_, i) => {
    const mimeType = p.get(`MediaContentType${i}`) ?? undefined;
    const top = mimeType?.split('/')[0];
    const kind = top === 'image' || top === 'video' || top === 'audio' ? top : 'file';
    return { kind: kind as 'image' | 'video' | 'audio' | 'file', url: p.get(`MediaUrl${i}`) ?? undefined, mimeType };
  });
  if (attachments.length) return [{ ...base, type: 'media', attachments }];
  if (p.get('Latitude') && p.get('Longitude')) {
    return [
      {
        ...base,
        type: 'location',
        attachments: [],
        payload: {
          latitude: Number(p.get('Latitude')),
          longitude: Number(p.get('Longitude')),
          name: p.get('Label') ?? undefined,
          address: p.get('Address') ?? undefined,
        },
      },
    ];
  }
  if (p.get('ButtonPayload')) {
    return [
      {
        ...base,
        type: 'interactive',
        text: p.get('ButtonText') ?? base.text,
        attachments: [],
        payload: { kind: 'button', replyId: p.get('ButtonPayload'), title: p.get('ButtonText') },
      },
    ];
  }
  return [{ ...base, type: 'text', text: base.text ?? '', attachments: [] }];
}
