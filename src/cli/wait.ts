import type { CliContext, TextSink } from "./context.ts";
import type { ServerNow } from "./server-time.ts";
import type { TokenJson } from "./token-view.ts";
import { UserError } from "./user-error.ts";

export const DEFAULT_WAIT_SECONDS = 60;
const POLL_INTERVAL_MS = 500;
const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function parseTimeout(text: string): number {
  const seconds = Number(text);
  if (!/^\d{1,5}$/.test(text) || seconds < 1 || seconds > 86_400) {
    throw new UserError(
      `Invalid --timeout "${text}": give a number of seconds from 1 to 86400, e.g. --timeout 120.`,
    );
  }
  return seconds;
}

interface Progress {
  stop(): void;
}

/** A spinner with the elapsed seconds on stderr, only when stderr is a terminal. */
function startProgress(label: string, stream: TextSink, now: () => number): Progress {
  if (stream.isTTY !== true) return { stop: () => {} };
  const started = now();
  let frame = 0;
  const draw = () => {
    const seconds = Math.floor((now() - started) / 1000);
    stream.write(`\r\u001b[2K${SPINNER[frame % SPINNER.length] ?? ""} ${label} ${seconds}s`);
    frame += 1;
  };
  draw();
  const timer = setInterval(draw, 100);
  return {
    stop: () => {
      clearInterval(timer);
      stream.write("\r\u001b[2K");
    },
  };
}

const done = (token: TokenJson) =>
  typeof token.value === "string" ||
  token.tokenActivationStatus === undefined ||
  token.tokenActivationStatus === "COMPLETE";

/**
 * Polls a token until its activation is COMPLETE. ERROR and running out of time are user-facing
 * failures (exit 1) that say what to do next.
 */
export async function waitForActivation({
  token,
  fetch,
  serverNow,
  timeoutSeconds,
  context: { stderr, sleep, now },
}: {
  token: TokenJson;
  fetch: () => Promise<TokenJson>;
  /** The server's time as its latest answer gave it: one that stands still is a manual clock. */
  serverNow: () => ServerNow;
  timeoutSeconds: number;
  context: Pick<CliContext, "stderr" | "sleep" | "now">;
}): Promise<TokenJson> {
  const started = now();
  const serverStarted = serverNow();
  const progress = startProgress(`Waiting for token ${token.name} to activate…`, stderr, now);
  try {
    let current = token;
    for (;;) {
      if (done(current)) return current;
      if (current.tokenActivationStatus === "ERROR") {
        throw new UserError(
          `Activation of token ${current.name} ended in ERROR. Try again with: edgekv token refresh ${current.name} --wait`,
        );
      }
      if (now() - started >= timeoutSeconds * 1000) {
        const stoodStill =
          serverStarted.source === "server" && serverNow().at.getTime() === serverStarted.at.getTime();
        throw new UserError(
          stoodStill
            ? `Token ${current.name} is still ${current.tokenActivationStatus} after ${timeoutSeconds} s, and the server's clock ` +
                `has not moved meanwhile: it runs with --clock manual and activates tokens only when its clock moves. ` +
                `Move it past the activation delay, e.g. edgekv clock advance 1m, then: edgekv token show ${current.name}`
            : `Token ${current.name} is still ${current.tokenActivationStatus} after ${timeoutSeconds} s. ` +
                `Check later with: edgekv token show ${current.name} (a server started with --clock manual activates tokens only when its clock moves).`,
        );
      }
      await sleep(POLL_INTERVAL_MS);
      current = await fetch();
    }
  } finally {
    progress.stop();
  }
}
