import { timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets-derived strings without an early exit. Only the length can leak, and the
 * lengths compared here (base64 signatures, issued tokens) are public anyway.
 */
export function constantTimeEqual(received: string, expected: string): boolean {
  const left = Buffer.from(received, "utf8");
  const right = Buffer.from(expected, "utf8");
  if (left.length !== right.length) {
    timingSafeEqual(right, right);
    return false;
  }
  return timingSafeEqual(left, right);
}
