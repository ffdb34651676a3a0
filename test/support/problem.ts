import { expect } from "vitest";

/** The EdgeKV problem+json body the contract prescribes, for toEqual. */
export const problem = (status: number, errorCode: string, detail: string | RegExp) => ({
  status,
  errorCode,
  detail: typeof detail === "string" ? detail : expect.stringMatching(detail),
  title: expect.any(String),
  type: expect.stringMatching(/^\/edgekv\/error-types\/edgekv-/),
  instance: expect.stringMatching(/^\/edgekv\/error-instances\//),
  additionalDetail: { requestId: expect.stringMatching(/^[0-9a-f]{16}$/) },
});
