import { existsSync, writeFileSync } from 'node:fs';

// NEXT_DIST_DIR lets several production builds coexist in one checkout (parallel work, benchmarks).
// Next adds `<distDir>/types` to the tsconfig it checks, so such a build gets its own small,
// git-ignored tsconfig that extends the real one instead of rewriting it.
const distDir = process.env.NEXT_DIST_DIR || '.next';
const tsconfigPath = distDir === '.next' ? 'tsconfig.json' : `tsconfig.${distDir.replace(/[^\w-]/g, '')}.local.json`;
if (tsconfigPath !== 'tsconfig.json' && !existsSync(tsconfigPath)) {
  const include = ['next-env.d.ts', '**/*.ts', '**/*.tsx', `${distDir}/types/**/*.ts`];
  writeFileSync(tsconfigPath, JSON.stringify({ extends: './tsconfig.json', include }, null, 2));
}

/**
 * Next.js configuration. Nothing tenant-specific lives here: branding is applied at request time
 * through CSS variables, so one build serves every organisation.
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  reactStrictMode: true,
  distDir,
  poweredByHeader: false,
  // Server-only packages with native parts or dynamic requires stay out of the bundle.
  serverExternalPackages: ['mongoose', 'mongodb', 'bullmq', 'ioredis', '@node-rs/argon2', 'socket.io', '@socket.io/redis-emitter'],
  // Type checking and lint run as their own steps of `npm test`; the build does not repeat them.
  typescript: { ignoreBuildErrors: true, tsconfigPath },
  eslint: { ignoreDuringBuilds: true },
  // Tenant hosts (demo.localhost...) load dev assets from the dev server.
  allowedDevOrigins: ['*.localhost', 'localhost'],
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'SAMEORIGIN' },
        ],
      },
    ];
  },
};

export default nextConfig;
