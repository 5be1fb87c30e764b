import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ByteRange, ObjectRead, ObjectStore, PutInput } from './store';

/**
 * Objects as files under one directory, for development without S3 credentials (`npm run dev` stays
 * one command) and single-host installs. Web and worker share it because they share the host. The
 * content type sits in a `.meta.json` file beside each object. Writes go to a temporary name first,
 * so a reader never sees half an object.
 */
export function createDirStore(root: string): ObjectStore {
  const base = path.resolve(root);
  const fileOf = (key: string) => {
    const file = path.resolve(base, key);
    // Keys are checked by keys.ts already; this keeps a bug there from escaping the directory.
    if (!file.startsWith(base + path.sep)) throw new Error(`Object key outside the storage directory: ${key}`);
    return file;
  };
  return {
    location: `dir:${base}`,
    async put(input: PutInput) {
      const file = fileOf(input.key);
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, input.body);
      await writeFile(`${file}.meta.json`, JSON.stringify({ contentType: input.contentType, sha256: input.sha256 }));
      await rename(tmp, file);
    },
    async get(key: string, range?: ByteRange): Promise<ObjectRead | null> {
      const file = fileOf(key);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return null;
      const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8').catch(() => '{}')) as { contentType?: string };
      const contentType = meta.contentType ?? 'application/octet-stream';
      // A range past the end is ignored (HTTP allows answering a Range request with the whole object).
      if (!range || range.start >= info.size) return { body: createReadStream(file), contentType, contentLength: info.size };
      const end = Math.min(range.end ?? info.size - 1, info.size - 1);
      return {
        body: createReadStream(file, { start: range.start, end }),
        contentType,
        contentLength: end - range.start + 1,
        contentRange: `bytes ${range.start}-${end}/${info.size}`,
      };
    },
    async delete(key: string) {
      const file = fileOf(key);
      await rm(file, { force: true });
      await rm(`${file}.meta.json`, { force: true });
    },
  };
}
