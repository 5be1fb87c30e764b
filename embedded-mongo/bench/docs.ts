/** The benchmark's document shape, shared by run.ts, probe.ts and insert-path.ts. */
/** A ~500-byte document (BSON), with the fields the indexed queries use. */
const PAD = 'lorem ipsum dolor sit amet consectetur adipiscing elit '.repeat(7).slice(0, 262);
export function makeDoc(i: number) {
  return {
    seq: i,
    email: `user${i}@example.com`,
    group: i % 1000,
    score: (i * 7919) % 100_003,
    status: i % 10 === 0 ? 'inactive' : 'active',
    createdAt: new Date(1_700_000_000_000 + i * 1000),
    tags: ['alpha', 'beta', `t${i % 17}`],
    profile: { name: `User ${i}`, city: ['Oslo', 'Bergen', 'Paris', 'Lima'][i % 4], age: 18 + (i % 60) },
    note: PAD,
  };
}
