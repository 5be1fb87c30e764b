import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { envSchema, parseEnv } from '@/server/env';

/** Every variable the app reads is documented in .env.example, and nothing there is stale. */
it('.env.example lists exactly the variables of src/server/env.ts', () => {
  const documented = new Set(
    readFileSync('.env.example', 'utf8')
      .split('\n')
      .map((line) => /^#?\s?([A-Z][A-Z0-9_]+)=/.exec(line)?.[1])
      .filter((name): name is string => Boolean(name)),
  );
  const declared = Object.keys(envSchema.shape);
  expect(declared.filter((name) => !documented.has(name))).toEqual([]);
  expect([...documented].filter((name) => !declared.includes(name))).toEqual([]);
});

it('.env.example copied to .env as it is gives a valid development configuration', () => {
  const values = Object.fromEntries(
    readFileSync('.env.example', 'utf8')
      .split('\n')
      .map((line) => /^([A-Z][A-Z0-9_]+)=(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  expect(() => parseEnv(values)).not.toThrow();
});
