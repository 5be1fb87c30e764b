/** Every command by lower-cased name. */
import type { Handler } from './context.js';
import { aggregateHandlers } from './aggregate.js';
import { ddlHandlers } from './ddl.js';
import { explainHandlers } from './explain.js';
import { handshakeHandlers } from './handshake.js';
import { readHandlers } from './read.js';
import { sessionHandlers } from './sessions.js';
import { writeHandlers } from './write.js';

export const handlers = new Map<string, Handler>(
  Object.entries({ ...handshakeHandlers, ...sessionHandlers, ...writeHandlers, ...readHandlers, ...ddlHandlers, ...aggregateHandlers, ...explainHandlers }),
);
