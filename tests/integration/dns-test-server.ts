import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';

/**
 * A tiny authoritative DNS server over UDP for tests: answers TXT queries from a mutable map and
 * NXDOMAIN for everything else. Speaks the real wire format, so node:dns's Resolver talks to it
 * exactly as it would to a public resolver.
 */
export interface DnsTestServer {
  address: string; // host:port for DNS_RESOLVER
  txt: Map<string, string[]>;
  close(): Promise<void>;
}

export async function startDnsTestServer(): Promise<DnsTestServer> {
  const txt = new Map<string, string[]>();
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const q = query.questions?.[0];
    const values = q && q.type === 'TXT' ? txt.get(q.name.toLowerCase()) : undefined;
    const response = dnsPacket.encode({
      id: query.id,
      type: 'response',
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (values ? 0 : 3), // rcode 3 = NXDOMAIN
      questions: query.questions,
      answers: values && q ? values.map((v) => ({ type: 'TXT' as const, name: q.name, ttl: 1, data: v })) : [],
    });
    socket.send(response, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    txt,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
