import type { InboundMessage } from '@/server/services/inbox/events';
import { asArray, asRecord, str, type Json } from '../json';

/**
 * WhatsApp Cloud API `messages` change: `value.messages[]` with `value.contacts[]` (profile names).
 * Types: text, image/video/audio/document/sticker (media id), location, interactive (button_reply,
 * list_reply), button (template quick reply); anything else is kept as text describing the type.
 */
const MEDIA = ['image', 'video', 'audio', 'document', 'sticker'] as const;

export function parseWhatsAppMessages(value: Json): InboundMessage[] {
  const names = new Map(asArray(value.contacts).map((c) => [str(asRecord(c).wa_id), str(asRecord(asRecord(c).profile).name)]));
  return asArray(value.messages).flatMap((m): InboundMessage[] => {
    const msg = asRecord(m);
    const id = str(msg.id);
    const from = str(msg.from);
    if (!id || !from) return [];
    const base = {
      kind: 'message' as const,
      channel: 'whatsapp' as const,
      providerMessageId: id,
      from: { externalId: from, name: names.get(from), phone: `+${from}` },
      timestamp: Number(str(msg.timestamp) ?? 0) * 1000,
      attachments: [],
    };
    const type = str(msg.type);
    if (type === 'text') return [{ ...base, type: 'text', text: str(asRecord(msg.text).body) ?? '' }];
    if (MEDIA.includes(type as (typeof MEDIA)[number])) {
      const media = asRecord(msg[type!]);
      const attachment = {
        kind: type as (typeof MEDIA)[number],
        mediaId: str(media.id),
        mimeType: str(media.mime_type),
        caption: str(media.caption),
        filename: str(media.filename),
        sha256: str(media.sha256),
      };
      return [{ ...base, type: 'media', text: attachment.caption, attachments: [attachment] }];
    }
    if (type === 'location') {
      const loc = asRecord(msg.location);
      return [
        {
          ...base,
          type: 'location',
          text: str(loc.name) ?? str(loc.address),
          payload: { latitude: loc.latitude, longitude: loc.longitude, name: loc.name, address: loc.address },
        },
      ];
    }
    if (type === 'interactive') {
      const inter = asRecord(msg.interactive);
      const reply = asRecord(inter.button_reply ?? inter.list_reply);
      return [
        {
          ...base,
          type: 'interactive',
          text: str(reply.title),
          payload: {
            kind: str(inter.type),
            replyId: str(reply.id),
            title: str(reply.title),
            description: str(reply.description),
          },
        },
      ];
    }
    if (type === 'button') {
      const button = asRecord(msg.button);
      return [
        {
          ...base,
          type: 'interactive',
          text: str(button.text),
          payload: { kind: 'button', replyId: str(button.payload), title: str(button.text) },
        },
      ];
    }
    return [{ ...base, type: 'text', text: `[${type ?? 'unknown'} message]`, payload: { unsupportedType: type } }];
  });
}
