import { z } from "zod";
import type { Caller } from "../accounts/caller.ts";
import { anyCapability } from "../accounts/capabilities.ts";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import { type AuthScheme, defineRoute, json, jsonBody } from "../http/route.ts";
import type { Scheduler } from "./scheduler.ts";
import type { ManualClockControl } from "./shared-clock.ts";
import { countsSince } from "./work-counts.ts";

const MAX_ADVANCE_SECONDS = 10 * 365 * 86_400;
const ADVANCE = `advanceSeconds must be a number from 0 to ${MAX_ADVANCE_SECONDS}.`;
const SET = 'set must be an ISO-8601 time such as "2027-01-31T00:00:00Z".';
const RESET = "reset must be true.";

const moveBody = z
  .object(
    {
      advanceSeconds: z
        .number({ error: ADVANCE })
        .min(0, ADVANCE)
        .max(MAX_ADVANCE_SECONDS, ADVANCE)
        .optional()
        .meta({ description: "Move the clock forward this many seconds." }),
      set: z
        .string({ error: SET })
        .regex(/^\d{4}-\d{2}-\d{2}T/, SET)
        .refine((text) => !Number.isNaN(Date.parse(text)), SET)
        .optional()
        .meta({ description: "Move the clock to this time (never backwards)." }),
      reset: z
        .literal(true, { error: RESET })
        .optional()
        .meta({ description: "Put the clock at the real time (the system clock's), backwards too." }),
    },
    { error: 'Send {"advanceSeconds": N}, {"set": "<ISO-8601 time>"} or {"reset": true}.' },
  )
  .refine(
    (body) => [body.advanceSeconds, body.set, body.reset].filter((field) => field !== undefined).length === 1,
    {
      error: 'Send exactly one of "advanceSeconds", "set" and "reset".',
    },
  );

const nowResponse = z.object({ now: z.iso.datetime() });
const movedResponse = z
  .object({
    now: z.iso.datetime().meta({ description: "The time after the move." }),
    from: z.iso.datetime().meta({ description: "The time before it." }),
  })
  .catchall(z.number().int())
  .meta({
    description: "The new time, and what the scheduled work did because of the move (refreshed, purged, …).",
  });

const notManual = () =>
  new ApiError(
    "route_not_found",
    "The clock can be read and moved only on a server started with --clock manual.",
  );

/**
 * `--clock manual` only (404 otherwise): read and move the server's clock. It moves forward, to a
 * time or by some seconds, or is reset to the real time (`wallClock`), which may lie behind it: what
 * was dated in the time left behind then lies in the future. The move fires the scheduler's timer;
 * runNow() then makes sure the work due at the new time is done even if that tick was skipped for a
 * run already in progress. The answer counts every run that ended meanwhile, so a move racing
 * another request may include that request's work too.
 */
export function clockRoutes({
  control,
  scheduler,
  edgegrid,
  wallClock,
}: {
  control: ManualClockControl | null;
  scheduler: Pick<Scheduler, "runNow" | "totals">;
  edgegrid: AuthScheme<Caller>;
  /** Real time: where a reset puts the clock. */
  wallClock: Clock;
}) {
  const common = { path: "/_edgekv/v1/clock", tags: ["edgekv-server"], auth: edgegrid } as const;
  return [
    defineRoute({
      ...common,
      operationId: "getClock",
      method: "GET",
      summary: "Read the server's clock (--clock manual)",
      responses: { 200: json(nowResponse, "The server's time.") },
      errors: ["route_not_found"],
      handler: async () => {
        if (control === null) throw notManual();
        return { status: 200, body: { now: control.clock.now().toISOString() } };
      },
    }),
    defineRoute({
      ...common,
      operationId: "moveClock",
      method: "POST",
      summary: "Move the server's clock (--clock manual)",
      description:
        "Forward to a time or by some seconds, or reset to the real time (backwards too). " +
        "Runs what the scheduler owes at the new time (activations, refreshes, purges) before answering. " +
        "The clock is the whole server's, so moving it takes SERVER_ADMIN.",
      access: anyCapability("SERVER_ADMIN"),
      body: jsonBody(moveBody, "How far or where to move."),
      responses: { 200: json(movedResponse, "The new time and the work done.") },
      errors: ["route_not_found"],
      audit: { action: "clock.move", target: () => "clock" },
      handler: async ({ body }) => {
        if (control === null) throw notManual();
        const { clock } = control;
        const from = clock.now();
        const before = scheduler.totals();
        if (body.reset === true) {
          await control.reset(wallClock.now());
        } else {
          const target =
            body.set === undefined
              ? new Date(from.getTime() + Math.round((body.advanceSeconds ?? 0) * 1000))
              : new Date(body.set);
          if (target.getTime() < from.getTime()) {
            throw new ApiError(
              "validation",
              `The clock only moves forward; it is already ${from.toISOString()}. ` +
                'Send {"reset": true} to put it at the real time.',
            );
          }
          clock.set(target);
          await control.persist();
        }
        await scheduler.runNow();
        // The counts' names are the scheduler's (refreshed, purged, …); the schema admits any count.
        const moved = {
          now: clock.now().toISOString(),
          from: from.toISOString(),
          ...countsSince(before, scheduler.totals()),
        };
        return { status: 200, body: moved as z.input<typeof movedResponse> };
      },
    }),
  ];
}
