import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { createConnectionGuard, type GuardedSocket } from "../../src/http/connection-guard.ts";

/** A connection's socket as the guard sees it: an address, `close`, and whether it was destroyed. */
class FakeSocket extends EventEmitter implements GuardedSocket {
  destroyed = false;
  constructor(
    readonly remotePort: number | undefined,
    readonly remoteAddress: string | undefined = "127.0.0.1",
  ) {
    super();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit("close");
  }
}

function guarded(maxConnections: number) {
  const lines: Array<{ level: "info" | "warn"; message: string; details: Record<string, unknown> }> = [];
  const guard = createConnectionGuard({
    maxConnections,
    logger: () => ({
      info: (details, message) => lines.push({ level: "info", message, details }),
      warn: (details, message) => lines.push({ level: "warn", message, details }),
    }),
  });
  const open = (...ports: number[]) =>
    ports.map((port) => {
      const socket = new FakeSocket(port);
      guard.admit(socket);
      return socket;
    });
  return { guard, lines, open };
}

const destroyed = (sockets: FakeSocket[]) => sockets.map((socket) => socket.destroyed);

describe("the connection guard", () => {
  it("admits connections up to the cap and forgets them when they close", () => {
    const { guard, open, lines } = guarded(3);
    const sockets = open(1, 2, 3);
    expect(guard.size).toBe(3);
    expect(destroyed(sockets)).toEqual([false, false, false]);
    sockets[1]?.destroy();
    expect(guard.size).toBe(2);
    open(4);
    expect(destroyed(sockets)).toEqual([false, true, false]);
    expect(lines).toEqual([]);
  });

  it("at the cap, closes the oldest connection not being answered and logs it in one line", () => {
    const { guard, open, lines } = guarded(3);
    const sockets = open(1, 2, 3);
    const [newcomer] = open(4);
    expect(destroyed(sockets)).toEqual([true, false, false]);
    expect(newcomer?.destroyed).toBe(false);
    expect(guard.size).toBe(3);
    expect(lines).toEqual([
      {
        level: "info",
        message: "closed the oldest connection not being answered, to let a new client in",
        details: { clientIp: "127.0.0.1", clientPort: 1, maxConnections: 3 },
      },
    ]);
  });

  it("spares connections whose handler runs, and sheds them again once their response ended", () => {
    const { guard, open } = guarded(3);
    const sockets = open(1, 2, 3);
    const [first, second] = sockets;
    if (first === undefined || second === undefined) throw new Error("no sockets");
    guard.handlerStarted(first);
    guard.handlerStarted(second);
    open(4);
    expect(destroyed(sockets)).toEqual([false, false, true]);
    guard.handlerEnded(first);
    open(5);
    expect(destroyed(sockets)).toEqual([true, false, true]);
  });

  it("refuses a newcomer only when every connection is being answered", () => {
    const { guard, open, lines } = guarded(2);
    const sockets = open(1, 2);
    for (const socket of sockets) guard.handlerStarted(socket);
    const [newcomer] = open(3);
    expect(newcomer?.destroyed).toBe(true);
    expect(destroyed(sockets)).toEqual([false, false]);
    expect(guard.size).toBe(2);
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ["warn", "refused a connection: every open connection is being answered"],
    ]);
  });

  it("finds a connection from the TLS socket of its request, by remote address and port", () => {
    const { guard, open } = guarded(2);
    const sockets = open(1, 2);
    // Over HTTPS the request's socket is another object wrapping the raw one.
    guard.handlerStarted(new FakeSocket(1));
    open(3);
    expect(destroyed(sockets)).toEqual([false, true]);
  });

  it("keeps a newcomer that reuses the address and port of a shed connection that closes late", () => {
    const { guard, open } = guarded(1);
    const late = new FakeSocket(7);
    // Its `close` comes only after the guard has moved on.
    late.destroy = () => {
      late.destroyed = true;
    };
    guard.admit(late);
    open(8);
    expect(late.destroyed).toBe(true);
    const reuse = new FakeSocket(7);
    guard.admit(reuse);
    late.emit("close");
    expect(guard.size).toBe(1);
    guard.handlerStarted(reuse);
    const [refused] = open(9);
    expect([reuse.destroyed, refused?.destroyed]).toEqual([false, true]);
  });

  it("ignores a socket already gone, whose address is unknown", () => {
    const { guard } = guarded(1);
    guard.admit(new FakeSocket(undefined, undefined));
    expect(guard.size).toBe(0);
  });
});
