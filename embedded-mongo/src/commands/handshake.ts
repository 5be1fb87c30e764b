/**
 * hello/isMaster (incl. the awaitable form the driver's monitor uses), and the small
 * informational commands drivers and tools send.
 */
import { Long, type Document } from 'bson';
import { Codes, MongoError } from '../errors.js';
import type { Ctx, Handler, ServerState } from './context.js';
import { num } from '../engine/values.js';

export function helloReply(server: ServerState, connectionId: number, legacy: boolean): Document {
  const me = `${server.host}:${server.port}`;
  const lastWriteDate = new Date();
  const opTime = { ts: server.catalog.clusterTime, t: Long.fromNumber(1) };
  return {
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    helloOk: true,
    topologyVersion: { processId: server.processId, counter: Long.fromNumber(server.topologyCounter) },
    hosts: [me],
    setName: server.replSetName,
    setVersion: 1,
    secondary: false,
    primary: me,
    me,
    electionId: server.electionId,
    lastWrite: { opTime, lastWriteDate, majorityOpTime: opTime, majorityWriteDate: lastWriteDate },
    maxBsonObjectSize: 16777216,
    maxMessageSizeBytes: 48000000,
    maxWriteBatchSize: 100000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
}

const hello: Handler = (ctx: Ctx) => {
  const { server, cmd } = ctx;
  const tv = cmd.topologyVersion as Document | undefined;
  const name = Object.keys(cmd)[0]!;
  const legacy = name.toLowerCase() === 'ismaster';
  if (tv && cmd.maxAwaitTimeMS !== undefined && !server.stopping) {
    // Awaitable hello: answer only when the topology changes or maxAwaitTimeMS passes,
    // otherwise the monitor would spin.
    const sameProcess = String(tv.processId) === String(server.processId);
    const sameCounter = num(tv.counter) === server.topologyCounter;
    if (sameProcess && sameCounter) {
      return new Promise<Document>((resolve) => {
        const done = () => { clearTimeout(timer); off(); resolve(helloReply(server, ctx.connectionId, legacy)); };
        const timer = setTimeout(done, Math.max(0, num(cmd.maxAwaitTimeMS)));
        const off = server.onTopologyChange(done);
      });
    }
  }
  return helloReply(server, ctx.connectionId, legacy);
};

const buildInfo: Handler = () => ({
  version: '7.0.0',
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16777216,
  storageEngines: ['embedded'],
  javascriptEngine: 'none',
  modules: [],
  openssl: { running: 'disabled' },
  ok: 1,
});

const notSupported = (what: string): Handler => () => {
  throw new MongoError(Codes.CommandNotFound, 'CommandNotFound', `${what} is not supported: this embedded server runs without authentication`);
};

export const handshakeHandlers: Record<string, Handler> = {
  hello,
  ismaster: hello,
  ping: () => ({ ok: 1 }),
  buildinfo: buildInfo,
  getparameter: (ctx) => {
    const out: Document = { ok: 1 };
    const known: Document = { featureCompatibilityVersion: { version: '7.0' }, authenticationMechanisms: [], transactionLifetimeLimitSeconds: 60, notablescan: false };
    if (ctx.cmd.getParameter === '*') Object.assign(out, known);
    for (const k of Object.keys(ctx.cmd)) if (k in known) out[k] = known[k];
    return out;
  },
  getlog: (ctx) => (ctx.cmd.getLog === '*' ? { names: ['global', 'startupWarnings'], ok: 1 } : { totalLinesWritten: 0, log: [], ok: 1 }),
  hostinfo: () => ({ system: { currentTime: new Date(), hostname: 'localhost', numCores: 2, cpuArch: process.arch }, os: { type: process.platform }, extra: {}, ok: 1 }),
  serverstatus: (ctx) => ({
    host: `${ctx.server.host}:${ctx.server.port}`,
    version: '7.0.0',
    process: 'embedded-mongo',
    pid: Long.fromNumber(process.pid),
    uptime: (Date.now() - ctx.server.startedAt.getTime()) / 1000,
    localTime: new Date(),
    connections: { current: ctx.server.connections, available: 10000 },
    mem: memory(),
    opcounters: ctx.server.counters,
    repl: { setName: ctx.server.replSetName, isWritablePrimary: true },
    ok: 1,
  }),
  connectionstatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  whatsmyuri: (ctx) => ({ you: `127.0.0.1:${ctx.connectionId}`, ok: 1 }),
  getcmdlineopts: () => ({ argv: ['embedded-mongo'], parsed: {}, ok: 1 }),
  replsetgetstatus: (ctx) => ({ set: ctx.server.replSetName, myState: 1, members: [{ _id: 0, name: `${ctx.server.host}:${ctx.server.port}`, health: 1, state: 1, stateStr: 'PRIMARY' }], ok: 1 }),
  getfeaturecompatibilityversion: () => ({ featureCompatibilityVersion: { version: '7.0' }, ok: 1 }),
  saslstart: notSupported('saslStart'),
  saslcontinue: notSupported('saslContinue'),
  authenticate: notSupported('authenticate'),
  logout: () => ({ ok: 1 }),
  getlasterror: () => ({ n: 0, err: null, ok: 1 }),
  setparameter: () => ({ was: null, ok: 1 }),
  setfeaturecompatibilityversion: () => ({ ok: 1 }),
  listcommands: () => ({ commands: {}, ok: 1 }),
};

/** serverStatus.mem: MongoDB's resident/virtual (MB) plus the V8 breakdown, for capacity checks. */
function memory(): Document {
  const m = process.memoryUsage();
  const mb = (x: number) => Math.round((x / 1048576) * 10) / 10;
  return { resident: Math.round(m.rss / 1048576), virtual: 0, heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
}
