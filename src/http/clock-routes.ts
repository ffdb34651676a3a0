import type { FastifyInstance } from "fastify";
import { ApiError } from "../errors.ts";
import type { Scheduler } from "../scheduler/scheduler.ts";
import type { ManualClockControl } from "../scheduler/shared-clock.ts";
import { countsSince } from "../scheduler/work-counts.ts";
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

/**
 * `--clock manual` only: read and move the server's clock. The move fires the scheduler's timer;
 * runNow() then makes sure the work due at the new time is done even if that tick was skipped for a
 * run already in progress. The answer counts every run that ended meanwhile, so a move racing
 * another request may include that request's work too.
 */
export function registerClockRoutes(
  app: FastifyInstance,
  { control, scheduler }: { control: ManualClockControl; scheduler: Pick<Scheduler, "runNow" | "totals"> },
) {
  const { clock } = control;
  route(app, "/clock", {
    GET: async () => ({ now: clock.now().toISOString() }),
    POST: async (request) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const move = readMove(parseStrictJson(raw), clock.now());
      const before = scheduler.totals();
      clock.set(move);
      await control.persist();
      await scheduler.runNow();
      return { now: clock.now().toISOString(), ...countsSince(before, scheduler.totals()) };
    },
  });
}
