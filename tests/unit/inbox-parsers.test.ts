import { describe, expect, it } from 'vitest';
import { eventDedupId } from '@/server/services/inbox/events';
import { inboxEventSchema } from '@/server/services/inbox/events';
import { parseMetaWebhook } from '@/server/webhooks/meta/parse';
import { parseTwilioWebhook } from '@/server/webhooks/twilio/parse';

/** Provider payloads in their documented shapes -> the events the ingest job accepts. */
const wa = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: 'W',
      changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1' }, ...value } }],
    },
  ],
});

describe('WhatsApp Cloud API', () => {
  it('maps every message type, and every result passes the job schema', () => {
    const events = parseMetaWebhook(
      wa({
        contacts: [{ profile: { name: 'Ana' }, wa_id: '351912345678' }],
        messages: [
          { from: '351912345678', id: 'wamid.1', timestamp: '1700000000', type: 'text', text: { body: 'hi' } },
          {
            from: '351912345678',
            id: 'wamid.2',
            timestamp: '1700000000',
            type: 'document',
            document: { id: 'MEDIA', filename: 'invoice.pdf', mime_type: 'application/pdf' },
          },
          {
            from: '351912345678',
            id: 'wamid.3',
            timestamp: '1700000000',
            type: 'interactive',
            interactive: { type: 'list_reply', list_reply: { id: 'opt2', title: 'Returns', description: 'Start a return' } },
          },
          {
            from: '351912345678',
            id: 'wamid.4',
            timestamp: '1700000000',
            type: 'button',
            button: { payload: 'YES', text: 'Yes' },
          },
          {
            from: '351912345678',
            id: 'wamid.5',
            timestamp: '1700000000',
            type: 'reaction',
            reaction: { message_id: 'wamid.x', emoji: '👍' },
          },
        ],
      }),
    );
    expect(events.map((e) => e.kind === 'message' && e.type)).toEqual(['text', 'media', 'interactive', 'interactive', 'text']);
    expect(events[0]).toMatchObject({
      from: { externalId: '351912345678', name: 'Ana', phone: '+351912345678' },
      timestamp: 1_700_000_000_000,
    });
    expect(events[1]).toMatchObject({ attachments: [{ kind: 'document', mediaId: 'MEDIA', filename: 'invoice.pdf' }] });
    for (const e of events) expect(inboxEventSchema.safeParse(e).success).toBe(true);
  });

  it('ignores other fields and malformed entries instead of throwing', () => {
    expect(
      parseMetaWebhook({
        object: 'whatsapp_business_account',
        entry: [{ changes: [{ field: 'account_update', value: {} }] }, null, 7],
      }),
    ).toEqual([]);
    expect(parseMetaWebhook(wa({ messages: [{ id: 'no-from' }, 'x'] }))).toEqual([]);
    expect(parseMetaWebhook(null)).toEqual([]);
  });

  it('keeps the provider error of a failed status', () => {
    const [ev] = parseMetaWebhook(
      wa({
        statuses: [
          {
            id: 'wamid.9',
            status: 'failed',
            timestamp: '1700000000',
            errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'More than 24 hours have passed' } }],
          },
        ],
      }),
    );
    expect(ev).toEqual({
      kind: 'status',
      channel: 'whatsapp',
      providerMessageId: 'wamid.9',
      status: 'failed',
      timestamp: 1_700_000_000_000,
      error: { code: '131047', message: 'More than 24 hours have passed' },
    });
  });
});

describe('Messenger', () => {
  it('maps quick replies, postbacks and deliveries', () => {
    const events = parseMetaWebhook({
      object: 'page',
      entry: [
        {
          id: 'P',
          messaging: [
            {
              sender: { id: 'U' },
              recipient: { id: 'P' },
              timestamp: 1,
              message: { mid: 'm1', text: 'Red', quick_reply: { payload: 'COLOR_RED' } },
            },
            {
              sender: { id: 'U' },
              recipient: { id: 'P' },
              timestamp: 2,
              postback: { mid: 'm2', title: 'Start', payload: 'GET_STARTED' },
            },
            { sender: { id: 'U' }, recipient: { id: 'P' }, timestamp: 3, delivery: { mids: ['m_out1', 'm_out2'], watermark: 3 } },
          ],
        },
      ],
    });
    expect(events.map((e) => (e.kind === 'message' ? e.payload?.replyId : e.status))).toEqual([
      'COLOR_RED',
      'GET_STARTED',
      'delivered',
      'delivered',
    ]);
  });
});

describe('Twilio', () => {
  it('tells incoming messages from status callbacks and maps undelivered to failed', () => {
    const msg = parseTwilioWebhook(
      new URLSearchParams({ MessageSid: 'SM1', From: 'whatsapp:+14155550100', Body: 'hi', SmsStatus: 'received' }),
      'twilio_whatsapp',
    );
    expect(msg[0]).toMatchObject({ kind: 'message', from: { externalId: 'whatsapp:+14155550100', phone: '+14155550100' } });
    const st = parseTwilioWebhook(
      new URLSearchParams({ MessageSid: 'SM2', MessageStatus: 'undelivered', ErrorCode: '30003' }),
      'sms',
    );
    expect(st[0]).toMatchObject({ kind: 'status', status: 'failed', error: { code: '30003' } });
    expect(parseTwilioWebhook(new URLSearchParams({ MessageSid: 'SM3', MessageStatus: 'sending' }), 'sms')).toEqual([]);
  });
});

it('dedup ids are stable per provider message and per status, and valid BullMQ ids', () => {
  const m = {
    kind: 'message' as const,
    channel: 'whatsapp' as const,
    providerMessageId: 'wamid.1',
    from: { externalId: '1' },
    timestamp: 0,
    type: 'text' as const,
    attachments: [],
  };
  expect(eventDedupId(m)).toBe(eventDedupId({ ...m, timestamp: 5 }));
  const s = { kind: 'status' as const, channel: 'whatsapp' as const, providerMessageId: 'wamid.1', timestamp: 0 };
  expect(eventDedupId({ ...s, status: 'delivered' })).not.toBe(eventDedupId({ ...s, status: 'read' }));
  expect(eventDedupId(m)).not.toContain(':');
});
