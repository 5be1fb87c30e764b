import type { InboundMessage, StatusEvent } from '@/server/services/inbox/events';
import { asArray, asRecord, str, type Json } from '../json';

/**
 * Messenger and Instagram `entry[].messaging[]` events: `message` (text, attachments, quick replies;
 * echoes of our own sends are skipped), `postback` (button taps) and `delivery` (mids delivered).
 * Read receipts carry only a watermark, not message ids; they are not mapped yet.
 */
type Channel = 'messenger' | 'instagram';
const KINDS = new Set(['image', 'video', 'audio', 'file']);

export function parseMessaging(entry: Json, channel: Channel): Array<InboundMessage | StatusEvent> {
  return asArray(entry.messaging).flatMap((e): Array<InboundMessage | StatusEvent> => {
    const ev = asRecord(e);
    const sender = str(asRecord(ev.sender).id);
    const timestamp = typeof ev.timestamp === 'number' ? ev.timestamp : 0;
    const message = asRecord(ev.message);
    if (sender && str(message.mid) && message.is_echo !== true) {
      const attachments = asArray(message.attachments).map((a) => {
        const att = asRecord(a);
        const kind = str(att.type) ?? 'file';
        return {
          kind: (KINDS.has(kind) ? kind : 'file') as 'image' | 'video' | 'audio' | 'file',
          url: str(asRecord(att.payload).url),
        };
      });
      const quick = str(asRecord(message.quick_reply).payload);
      const base = {
        kind: 'message' as const,
        channel,
        providerMessageId: str(message.mid)!,
        from: { externalId: sender },
        timestamp,
        text: str(message.text),
      };
      if (quick)
        return [
          { ...base, type: 'interactive', attachments: [], payload: { kind: 'quick_reply', replyId: quick, title: base.text } },
        ];
      return [{ ...base, type: attachments.length ? 'media' : 'text', attachments }];
    }
    const postback = asRecord(ev.postback);
    if (sender && str(postback.mid)) {
      return [
        {
          kind: 'message',
          channel,
          providerMessageId: str(postback.mid)!,
          from: { externalId: sender },
          timestamp,
          type: 'interactive',
          text: str(postback.title),
          attachments: [],
          payload: { kind: 'postback', replyId: str(postback.payload), title: str(postback.title) },
        },
      ];
    }
    const delivery = asRecord(ev.delivery);
    return asArray(delivery.mids).flatMap((mid): StatusEvent[] =>
      typeof mid === 'string'
        ? [
            {
              kind: 'status',
              channel,
              providerMessageId: mid,
              status: 'delivered',
              timestamp: Number(delivery.watermark ?? timestamp),
            },
          ]
        : [],
    );
  });
}
