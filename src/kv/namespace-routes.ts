import type { FastifyInstance } from "fastify";
import { route } from "../http/routing.ts";
import type { KvPathRouter } from "./kv-paths.ts";
import type { KvService } from "./kv-service.ts";
import { jsonBody, kvScope, queryFlag } from "./requests.ts";
import { namespaceDeletionView, namespaceListView, namespaceView } from "./views.ts";

export function registerNamespaceRoutes(
  app: FastifyInstance,
  paths: KvPathRouter,
  { kv }: { kv: KvService },
) {
  route(app, "/networks/:network/namespaces", {
    GET: async (request) => {
      const scope = kvScope(request, "viewNamespace");
      // The Go client sends details=on, the official CLI details=true.
      const details = queryFlag(request, "details", { yes: ["on", "true"], no: ["off", "false"] });
      return namespaceListView(await kv.listNamespaces(scope), scope.account, details);
    },
    POST: async (request) => {
      const scope = kvScope(request, "createNamespace");
      return namespaceView(await kv.createNamespace(scope, jsonBody(request)), scope.account);
    },
  });
  paths.on("namespace", {
    GET: async (request, _reply, path) => {
      const scope = kvScope(request, "viewNamespace");
      return namespaceView(await kv.getNamespace(scope, path.namespace), scope.account);
    },
    PUT: async (request, _reply, path) => {
      const scope = kvScope(request, "modifyNamespace");
      return namespaceView(await kv.updateNamespace(scope, path.namespace, jsonBody(request)), scope.account);
    },
    DELETE: async (request, reply, path) => {
      const scope = kvScope(request, "deleteNamespace");
      const sync = queryFlag(request, "sync", { yes: ["true"], no: ["false"] });
      const deletion = await kv.deleteNamespace(scope, path.namespace, { sync });
      return reply
        .code(deletion.kind === "scheduled" ? 202 : 200)
        .send(namespaceDeletionView(path.namespace, deletion));
    },
  });
}
