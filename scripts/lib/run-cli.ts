import { disconnectMongo } from '@/server/db/mongo';
import { isAppError } from '@/server/errors';
import { closeRedis } from '@/server/redis';

/**
 * The shell every operator command shares: run `main`, exit with its code, always release MongoDB
 * and Redis (or the process would hang on open handles), and print an AppError as its message alone
 * (it is written for people) while anything unexpected keeps its stack.
 */
export function runCli(main: () => Promise<number>): void {
  const run = async (): Promise<number> => {
    try {
      return await main();
    } catch (err) {
      if (!isAppError(err)) throw err;
      console.error(err.message);
      return 1;
    } finally {
      await disconnectMongo();
      await closeRedis();
    }
  };
  run().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
