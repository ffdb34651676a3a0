// The bare baseline's process: `{ cert, key }` starts it (answer: its port), `{ body }` sets the body.
import { type BareServer, startBareServer } from "./bare-server.ts";

let bare: BareServer | undefined;

process.on("message", (message: { cert?: string; key?: string; body?: Uint8Array }) => {
  (async () => {
    if (message.cert !== undefined && message.key !== undefined) {
      bare = await startBareServer({ cert: message.cert, key: message.key });
      return { port: bare.port };
    }
    if (message.body !== undefined && bare !== undefined) {
      bare.setBody(Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength));
      return { ok: true };
    }
    throw new Error("the bare server was sent a message it does not know");
  })().then(
    (answer) => process.send?.(answer),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.stack : String(error) }),
  );
});
