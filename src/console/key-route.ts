import { z } from "zod";
import type { Caller } from "../accounts/caller.ts";
import { anyCapability } from "../accounts/capabilities.ts";
import { CONSOLE_BASE } from "../http/console-prefix.ts";
import { type AuthScheme, defineRoute, json, type RequestHead } from "../http/route.ts";
import type { ConsoleSessions } from "./sessions.ts";

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The host a request was sent to, as its answers name it (a URL, an `.edgerc` line). */
export const hostOf = (head: RequestHead) => single(head.headers.host) ?? "localhost";

const keyResponse = z.object({
  key: z.string().meta({ description: "32 random bytes, base64url: valid once, for 24 hours." }),
  url: z
    .string()
    .meta({ description: "The console's page with the key in its fragment, from the request's Host." }),
  expiresAt: z.iso.datetime(),
});

/**
 * `POST /_edgekv/v1/console/keys`, signed with EdgeGrid: a login key for the web console, as `edgekv
 * console` asks for it. It has no console twin: a session cannot make more sessions.
 */
export function consoleKeyRoute({
  sessions,
  edgegrid,
  secure,
}: {
  sessions: Pick<ConsoleSessions, "createLoginKey">;
  edgegrid: AuthScheme<Caller>;
  secure: boolean;
}) {
  return defineRoute({
    operationId: "createConsoleKey",
    method: "POST",
    path: "/_edgekv/v1/console/keys",
    summary: "Create a web console login key",
    description:
      "A key that opens the web console once, within 24 hours, and the console URL that carries it in its fragment " +
      "(built from the request's Host). What `edgekv console` prints.",
    tags: ["edgekv-server"],
    auth: edgegrid,
    access: anyCapability("SERVER_ADMIN"),
    responses: { 201: json(keyResponse, "The key, shown once, and the URL that uses it.") },
    errors: [],
    audit: { action: "console.key", target: () => "console/keys" },
    handler: async ({ head }) => {
      const { key, expiresAt } = await sessions.createLoginKey();
      const url = `${secure ? "https" : "http"}://${hostOf(head)}${CONSOLE_BASE}/#key=${key}`;
      return { status: 201, body: { key, url, expiresAt: expiresAt.toISOString() } };
    },
  });
}
