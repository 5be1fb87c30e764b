import { notFound } from 'next/navigation';

/** middleware.ts rewrites hosts that can be nobody's workspace here; the answer is a real 404. */
export default function UnknownWorkspace() {
  notFound();
}
