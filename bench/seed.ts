import { newAgent, send, type Target, tokenBody } from "./load.ts";

const PATH = "/edgekv/v1/tokens";

/** Creates one token and returns the create response, failing on anything but 2xx. */
export async function createToken(target: Target, name: string): Promise<Buffer> {
  const agent = newAgent(target, 1);
  try {
    return await createWith(target, agent, name);
  } finally {
    agent.destroy();
  }
}

async function createWith(target: Target, agent: ReturnType<typeof newAgent>, name: string): Promise<Buffer> {
  const reply = await send(target, agent, { method: "POST", path: PATH, body: tokenBody(name) });
  if (reply.status < 200 || reply.status > 299) {
    throw new Error(
      `creating token ${name} failed: HTTP ${reply.status} ${reply.body.toString("utf8", 0, 300)}`,
    );
  }
  return reply.body;
}

/**
 * Creates `names` with at most `concurrency` requests in flight, so seeding does not flood the
 * server it is about to measure; prints progress on one line.
 */
export async function createTokens(
  target: Target,
  names: readonly string[],
  concurrency: number,
): Promise<void> {
  const agent = newAgent(target, concurrency);
  let next = 0;
  let done = 0;
  const step = Math.max(1, Math.floor(names.length / 4));
  const worker = async () => {
    for (let name = names[next++]; name !== undefined; name = names[next++]) {
      await createWith(target, agent, name);
      done += 1;
      if (done % step === 0 || done === names.length)
        process.stdout.write(`  seeded ${done}/${names.length}\n`);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
}

/** The body of one signed GET, failing on anything but 2xx. */
export async function fetchBody(target: Target, path: string): Promise<Buffer> {
  const agent = newAgent(target, 1);
  try {
    const reply = await send(target, agent, { method: "GET", path });
    if (reply.status < 200 || reply.status > 299) {
      throw new Error(`GET ${path} failed: HTTP ${reply.status} ${reply.body.toString("utf8", 0, 300)}`);
    }
    return reply.body;
  } finally {
    agent.destroy();
  }
}
