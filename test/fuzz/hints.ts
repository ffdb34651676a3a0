import type { SeededRandom } from "../edgegrid/seeded-random.ts";
import type { Operation } from "./operations.ts";
import { JWT_HEADER, REFERENCE_HEADER, type World } from "./world.ts";

const DAY_MS = 86_400_000;

/** Where a name should be new (the operation creates it) or disposable (it deletes it). */
const FRESH: Readonly<Record<string, string>> = { createNamespace: "namespace", createToken: "name" };
const DISPOSABLE: Readonly<Record<string, string>> = {
  deleteNamespace: "namespaceId",
  revokeToken: "tokenName",
};

/** A field's value generator, or undefined to leave the field to its schema. */
export type Hint = (name: string) => (() => unknown) | undefined;

export interface Hints {
  /** Hints for one part of a request; `path` holds the path parameters already chosen. */
  for(operation: Operation, where: "path" | "query" | "body", path: Readonly<Record<string, string>>): Hint;
  /** The status of the last request: what it created or deleted now counts as such. */
  settle(status: number): void;
}

/**
 * Values that a schema alone cannot make meaningful: names that exist (or are new, for a create,
 * or disposable, for a delete, so the world's own tokens and namespaces survive), dates in range,
 * small clock moves, credentials the server issued.
 */
export function createHints(random: SeededRandom, world: World): Hints {
  let fresh = 0;
  let effect: (() => void) | undefined;
  const edgeHeaders = [...world.edge.usual, ...world.edge.odd].flatMap((headers) => Object.entries(headers));
  const jwts = edgeHeaders.filter(([name]) => name === JWT_HEADER).map(([, value]) => value);
  const references = edgeHeaders.filter(([name]) => name === REFERENCE_HEADER).map(([, value]) => value);

  function nameFor(operation: Operation, field: string, existing: readonly string[], churn: string[]) {
    if (FRESH[operation.operationId] === field && random.chance(0.7)) {
      fresh += 1;
      const name = `fz${fresh}`;
      effect = () => churn.push(name);
      return name;
    }
    if (DISPOSABLE[operation.operationId] === field) {
      if (churn.length === 0 || random.chance(0.15)) return `gone${random.int(0, 9)}`;
      const name = random.pick(churn);
      effect = () => churn.splice(churn.indexOf(name), 1);
      return name;
    }
    return churn.length > 0 && random.chance(0.2) ? random.pick(churn) : random.pick(existing);
  }

  return {
    settle(status) {
      if (status < 300) effect?.();
      effect = undefined;
    },
    for(operation, where, path) {
      const { namespaces, tokens, churn } = world;
      const now = world.h.clock.now().getTime();
      // Pairs of fields of which a body takes exactly one (a clock move, a credential to verify).
      const first = random.chance(0.5);
      const oneOf = (mine: boolean, value: () => unknown) => () => (mine ? value() : undefined);
      const namespace = (field: string) => () =>
        where === "body" && path.namespaceId !== undefined && random.chance(0.85)
          ? path.namespaceId
          : nameFor(operation, field, namespaces, churn.namespaces);
      const table: Record<string, () => unknown> = {
        network: () => random.pick(["staging", "production"]),
        ewid: () => random.pick(["42", "7", "0"]),
        namespaceId: namespace("namespaceId"),
        namespace: namespace("namespace"),
        $key: () => random.pick(namespaces),
        // A permission group (the namespaces' groupId) in /auth paths, an item group in the others.
        groupId: () =>
          where !== "path"
            ? random.pick([0, "0", 0, 7])
            : operation.operationId === "getPermissionGroup"
              ? random.pick(["0", "0", "7"])
              : random.pick(world.groups),
        group: () => random.pick(world.groups),
        itemId: () => random.pick(world.items),
        item: () => random.pick(world.items),
        tokenName: () => nameFor(operation, "tokenName", tokens, churn.tokens),
        name: () => nameFor(operation, "name", tokens, churn.tokens),
        expiry: () =>
          random.chance(0.3)
            ? undefined
            : random.pick([
                null,
                "",
                new Date(now + random.int(2, 150) * DAY_MS).toISOString().slice(0, 10),
                new Date(now + random.int(2, 150) * DAY_MS).toISOString(),
              ]),
        // Mostly one network at least, one EdgeWorker list at most: else a token is refused before it is made.
        allowOnProduction: () => random.pick([true, "true", true, null, false]),
        allowOnStaging: () => random.pick([true, false, "false", null]),
        restrictToEdgeWorkerIds: () =>
          random.chance(0.6) ? undefined : random.pick([null, [], ["all"], [42], ["42", 7]]),
        restrictToEwids: () => (random.chance(0.85) ? undefined : random.pick([null, [], [42]])),
        retentionInSeconds: () => random.pick([0, 86_400, "0", 90_000]),
        geoLocation: () =>
          random.chance(0.3) ? undefined : random.pick([null, "", "US", "us", "EU", "GLOBAL"]),
        // Small moves: a jump of years would expire every token and leave the rest of the run at 401.
        advanceSeconds: oneOf(first, () => random.int(0, 600)),
        set: oneOf(!first, () => new Date(now + random.int(0, 600) * 1000).toISOString()),
        token: oneOf(first, () => random.pick(jwts)),
        reference: oneOf(!first, () => random.pick(references)),
        edgeWorkerId: () => random.pick(["42", null, "7"]),
        details: () => random.pick(["on", "true", "off", "false"]),
        sync: () => random.pick(["true", "false"]),
        includeExpired: () => random.pick(["true", "false"]),
        maxItems: () => String(random.int(1, 100)),
      };
      return (name) => table[name];
    },
  };
}
