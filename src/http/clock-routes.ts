import type { FastifyInstance } from "fastify";
import { ApiError } from "../errors.ts";
import type { ManualClockControl } from "../scheduler/shared-clock.ts";
import { route } from "./routing.ts";
import { parseStrictJson } from "./strict-json.ts";

const MAX_ADVANCE_SECONDS = 10 * 365 * 86_400;

function readMove(body: unknown, now: Date): Date {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError("validation", 'Send {"advanceSeconds": N} or {"set": "<ISO-8601 time>"}.');
  }
  const { advanceSeconds, set } = body as Record<string, unknown>;
  if ((advanceSeconds === undefined) === (set === undefined)) {
    throw new ApiError("validation", 'Send exactly one of "advanceSeconds" and "set".');
  }
  if (advanceSeconds !== undefined) {
    if (
      typeof advanceSeconds !== "number" ||
      !Number.isFinite(advanceSeconds) ||
      advanceSeconds < 0 ||
      advanceSeconds > MAX_ADVANCE_SECONDS
    ) {
      throw new ApiError("validation", `advanceSeconds must be a number from 0 to ${MAX_ADVANCE_SECONDS}.`);
    }
    return new Date(now.getTime() + Math.round(advanceSeconds * 1000));
  }
  const target =
    typeof set === "string" && /^\d{4}-\d{2}-\d{2}T/.test(set) ? new Date(set) : new Date(Number.NaN);
  if (Number.isNaN(target.getTime()))
    throw new ApiError("validation", 'set must be an ISO-8601 time such as "2027-01-31T00:00:00Z".');
  if (target.getTime() < now.getTime()) {
    throw new ApiError("validation", `The clock only moves forward; it is already ${now.toISOString()}.`);
  }
  return target;
}

/** `--clock manual` only: read and move the server's clock, then run what the scheduler now owes. */
export function registerClockRoutes(
  app: FastifyInstance,
  { control, afterMove }: { control: ManualClockControl; afterMove: () => Promise<Record<string, number>> },
) {
  const { clock } = control;
  route(app, "/clock", {
    GET: async () => ({ now: clock.now().toISOString() }),
    POST: async (request) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      clock.set(readMove(parseStrictJson(raw), clock.now()));
      await control.persist();
      const ran = await afterMove();
      return { now: clock.now().toISOString(), ...ran };
    },
  });
}
