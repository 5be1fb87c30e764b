/**
 * Seeds the demo (idempotent: re-running keeps existing data) and returns the credentials block
 * to print. The seed itself lives with the domain code: src/server/services/demo/seed.ts.
 */
export async function seedAndDescribe(): Promise<string> {
  const { connectMongo, disconnectMongo } = await import('@/server/db/mongo');
  const { closeRedis } = await import('@/server/redis');
  await connectMongo();
  try {
    const { seedDemo } = await import('@/server/services/demo/seed');
    const demo = await seedDemo();
    const width = Math.max(...demo.users.map((u) => u.email.length), demo.superAdmin.email.length);
    const roleWidth = Math.max(...demo.users.map((u) => u.role.length), 'super admin'.length);
    return [
      `Demo credentials (demo organisation: ${demo.org.slug}):`,
      `  ${'super admin'.padEnd(roleWidth)}  ${demo.superAdmin.email.padEnd(width)}  ${demo.superAdmin.password}`,
      ...demo.users.map((u) => `  ${u.role.padEnd(roleWidth)}  ${u.email.padEnd(width)}  ${u.password}`),
    ].join('\n');
  } finally {
    await disconnectMongo();
    await closeRedis();
  }
}
