import type { FastifyRequest } from "fastify";
import { ApiError } from "../errors.ts";
import type { KvPathRouter, PathOf } from "./kv-paths.ts";
import { type ItemRef, type KvService, MAX_KEYS_PER_LIST } from "./kv-service.ts";
import { kvScope, rawBody } from "./requests.ts";
import { markedForDeletionMessage, upsertedMessage } from "./views.ts";

const TEXT = "text/plain; charset=utf-8";

function maxItems(request: FastifyRequest): { maxItems?: number } {
  const value = (request.query as Record<string, unknown>).maxItems;
  if (value === undefined) return {};
  const count = typeof value === "string" && /^\d{1,3}$/.test(value) ? Number(value) : 0;
  if (count < 1 || count > MAX_KEYS_PER_LIST) {
    throw new ApiError("kv_validation", `maxItems must be an integer from 1 to ${MAX_KEYS_PER_LIST}.`);
  }
  return { maxItems: count };
}

const refOf = (path: PathOf<"item">): ItemRef => ({
  namespace: path.namespace,
  group: path.group,
  key: path.item,
});

/** Groups, item keys and items; `sandboxId` is accepted and ignored (there are no sandboxes here). */
export function registerItemRoutes(paths: KvPathRouter, { kv }: { kv: KvService }) {
  paths.on("groups", {
    GET: async (request, _reply, path) => kv.listGroups(kvScope(request, "readData"), path.namespace),
  });
  paths.on("group", {
    GET: async (request, _reply, path) =>
      kv.listKeys(kvScope(request, "readData"), path.namespace, path.group, maxItems(request)),
  });
  paths.on("item", {
    GET: async (request, reply, path) => {
      const item = await kv.readItem(kvScope(request, "readData"), refOf(path));
      return reply.type(item.contentType).send(item.value);
    },
    PUT: async (request, reply, path) => {
      const receipt = await kv.writeItem(kvScope(request, "writeData"), refOf(path), {
        body: rawBody(request),
        contentType: request.headers["content-type"],
      });
      return reply.type(TEXT).send(upsertedMessage(receipt));
    },
    DELETE: async (request, reply, path) => {
      const receipt = await kv.deleteItem(kvScope(request, "deleteData"), refOf(path));
      return reply.type(TEXT).send(markedForDeletionMessage(receipt));
    },
  });
}
