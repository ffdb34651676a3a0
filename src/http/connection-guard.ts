/**
 * What the guard needs of a socket. `admit` gets the raw TCP socket of the server's `connection`
 * event; the request hooks get the socket the request arrived on, which over HTTPS is the TLS socket
 * wrapping it. Both report the same remote address and port, which is how they are matched.
 */
export interface GuardedSocket {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  destroy(): void;
  once(event: "close", listener: () => void): unknown;
}

export interface GuardLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

export interface ConnectionGuard {
  /** For the server's `connection` event. */
  admit(socket: GuardedSocket): void;
  /** The request on this socket is read whole and its handler starts: the connection is spared. */
  handlerStarted(socket: GuardedSocket): void;
  /** Its response has ended; until the next handler starts, the connection may be shed. */
  handlerEnded(socket: GuardedSocket): void;
  /** Connections open now. */
  readonly size: number;
}

interface Connection {
  readonly socket: GuardedSocket;
  busy: boolean;
}

const keyOf = (socket: GuardedSocket): string | undefined =>
  socket.remoteAddress === undefined || socket.remotePort === undefined
    ? undefined
    : `${socket.remoteAddress}|${socket.remotePort}`;

const clientOf = (socket: GuardedSocket) => ({
  clientIp: socket.remoteAddress,
  clientPort: socket.remotePort,
});

/**
 * Caps the open connections so that slow clients cannot hold every descriptor: at the cap, a new
 * connection closes the oldest one that is not running a handler (one still sending its request, in
 * its TLS handshake, or idle between keep-alive requests). Connections being answered are never
 * shed; only when every connection is being answered is the newcomer refused.
 */
export function createConnectionGuard({
  maxConnections,
  logger,
}: {
  maxConnections: number;
  /** Called when something is logged, so that the server's logger may be created later. */
  logger: () => GuardLogger;
}): ConnectionGuard {
  // A Map iterates in insertion order: the first entry is the oldest connection.
  const open = new Map<string, Connection>();

  const forget = (key: string, connection: Connection) => {
    // A shed connection is forgotten at once; its late `close` must not remove a newcomer that
    // reuses its address and port.
    if (open.get(key) === connection) open.delete(key);
  };

  const shedOldestIdle = (): boolean => {
    for (const [key, connection] of open) {
      if (connection.busy) continue;
      open.delete(key);
      logger().info(
        { ...clientOf(connection.socket), maxConnections },
        "closed the oldest connection not being answered, to let a new client in",
      );
      connection.socket.destroy();
      return true;
    }
    return false;
  };

  const setBusy = (socket: GuardedSocket, busy: boolean) => {
    const key = keyOf(socket);
    const connection = key === undefined ? undefined : open.get(key);
    if (connection !== undefined) connection.busy = busy;
  };

  return {
    admit(socket) {
      const key = keyOf(socket);
      // No address: the connection is already gone.
      if (key === undefined) return;
      if (open.size >= maxConnections && !shedOldestIdle()) {
        logger().warn(
          { ...clientOf(socket), maxConnections },
          "refused a connection: every open connection is being answered",
        );
        socket.destroy();
        return;
      }
      const connection: Connection = { socket, busy: false };
      open.set(key, connection);
      socket.once("close", () => forget(key, connection));
    },
    handlerStarted: (socket) => setBusy(socket, true),
    handlerEnded: (socket) => setBusy(socket, false),
    get size() {
      return open.size;
    },
  };
}
