import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface StreamEvent {
  readonly event: string;
  readonly data: string;
}

/** An open `text/event-stream` answer, read as it arrives. */
export interface EventStream {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Everything received so far, as text. */
  raw(): string;
  events(): StreamEvent[];
  /** Resolves with the first event (from `from` on) that `match` accepts; rejects after `timeoutMs`. */
  next(
    match: (event: StreamEvent) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<StreamEvent>;
  close(): void;
  /** Calls `listener` once the server has ended the stream. */
  onEnd(listener: () => void): void;
}

/** Opens a server-sent event stream, over TLS (trusting `ca`) or plain HTTP. */
export function openEventStream(
  url: string,
  { ca, cookie, host }: { ca?: string; cookie?: string; host?: string },
): Promise<EventStream> {
  const send = url.startsWith("https:") ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        ...(ca === undefined ? {} : { ca }),
        agent: false,
        headers: {
          accept: "text/event-stream",
          ...(host === undefined ? {} : { host }),
          ...(cookie === undefined ? {} : { cookie }),
        },
      },
      (response) => {
        let text = "";
        const waiters = new Set<() => void>();
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
          for (const wake of [...waiters]) wake();
        });
        response.on("error", () => undefined);
        const events = (): StreamEvent[] =>
          text
            .split("\n\n")
            .slice(0, -1)
            .map((block) => {
              const lines = block.split("\n");
              const field = (name: string) =>
                lines
                  .filter((line) => line.startsWith(`${name}: `))
                  .map((line) => line.slice(name.length + 2))
                  .join("\n");
              return { event: field("event"), data: field("data") };
            })
            .filter((event) => event.event !== "");
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          raw: () => text,
          events,
          next: (match, { from = 0, timeoutMs = 8_000 } = {}) =>
            new Promise((found, failed) => {
              const check = () => {
                const hit = events().slice(from).find(match);
                if (hit === undefined) return;
                waiters.delete(check);
                clearTimeout(timer);
                found(hit);
              };
              const timer = setTimeout(() => {
                waiters.delete(check);
                failed(new Error(`no matching event within ${timeoutMs} ms; received:\n${text}`));
              }, timeoutMs);
              waiters.add(check);
              check();
            }),
          close: () => request.destroy(),
          onEnd: (listener) => {
            if (response.complete) listener();
            else response.once("end", listener);
          },
        });
      },
    );
    request.on("error", reject);
    request.end();
  });
}
