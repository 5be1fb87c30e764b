import mongoose, { type Connection } from 'mongoose';
import { getEnv } from '../env';

/**
 * One MongoDB client and pool per process. The platform database and every tenant database are
 * `useDb` views on it (see src/server/tenancy/connections.ts), so thousands of tenants share the pool.
 */
mongoose.set('strictQuery', true);

let base: Connection | undefined;
let opening: Promise<Connection> | undefined;

export function mongoUri(): string {
  const uri = getEnv().MONGO_URI ?? process.env.MONGO_URI;
  if (!uri) {
    throw new Error('MONGO_URI is not set: start the embedded server (npm run dev does) or point it at MongoDB.');
  }
  return uri;
}

export async function connectMongo(): Promise<Connection> {
  if (base) return base;
  opening ??= mongoose
    .createConnection(mongoUri(), { maxPoolSize: 20, serverSelectionTimeoutMS: 5000, autoIndex: true })
    .asPromise()
    .then((conn) => (base = conn))
    .finally(() => {
      opening = undefined;
    });
  return opening;
}

/** The connection, for code that runs after start-up has connected. */
export function mongo(): Connection {
  if (!base) throw new Error('MongoDB is not connected yet: call connectMongo() at process start.');
  return base;
}

export function platformDb(): Connection {
  return mongo().useDb(getEnv().PLATFORM_DB_NAME, { useCache: true });
}

export async function disconnectMongo(): Promise<void> {
  const conn = base;
  base = undefined;
  await conn?.close();
}
