export type Network = "staging" | "production";

export const NETWORKS: readonly Network[] = ["staging", "production"];

export type Route =
  | { readonly page: "overview" }
  | { readonly page: "tokens" }
  | { readonly page: "token-create" }
  | { readonly page: "token"; readonly name: string }
  | { readonly page: "namespaces"; readonly network: Network | null }
  | { readonly page: "namespace"; readonly network: Network; readonly namespace: string }
  | { readonly page: "group"; readonly network: Network; readonly namespace: string; readonly group: string }
  | {
      readonly page: "item";
      readonly network: Network;
      readonly namespace: string;
      readonly group: string;
      readonly item: string;
    }
  | { readonly page: "credentials" }
  | { readonly page: "audit" }
  | { readonly page: "not-found"; readonly path: string };

const isNetwork = (value: string | undefined): value is Network =>
  value === "staging" || value === "production";

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * The page a `location.hash` names: `#/`, `#/tokens`, `#/create-token`, `#/tokens/<name>`,
 * `#/namespaces[/<network>[/<ns>[/<group>[/<item>]]]]`, `#/credentials`, `#/audit`.
 */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/^\/+/, "").replace(/\/+$/, "");
  const raw = path === "" ? [] : path.split("/");
  const segments = raw.map(decode);
  const notFound: Route = { page: "not-found", path: `/${path}` };
  if (segments.some((segment) => segment === null || segment === "")) return notFound;
  const [first, second, third, fourth, fifth] = segments as (string | undefined)[];
  switch (first) {
    case undefined:
      return { page: "overview" };
    case "tokens":
      if (second === undefined) return { page: "tokens" };
      return third === undefined ? { page: "token", name: second } : notFound;
    case "create-token":
      return second === undefined ? { page: "token-create" } : notFound;
    case "namespaces":
      if (second === undefined) return { page: "namespaces", network: null };
      if (!isNetwork(second)) return notFound;
      if (third === undefined) return { page: "namespaces", network: second };
      if (fourth === undefined) return { page: "namespace", network: second, namespace: third };
      if (fifth === undefined) return { page: "group", network: second, namespace: third, group: fourth };
      return segments.length === 5
        ? { page: "item", network: second, namespace: third, group: fourth, item: fifth }
        : notFound;
    case "credentials":
    case "audit":
      return second === undefined ? { page: first } : notFound;
    default:
      return notFound;
  }
}

/** The hash of a page, its names encoded: `parseRoute(hrefOf(route))` is `route`. */
export function hrefOf(route: Route): string {
  const path = (...segments: string[]) => `#/${segments.map(encodeURIComponent).join("/")}`;
  switch (route.page) {
    case "overview":
      return "#/";
    case "tokens":
    case "credentials":
    case "audit":
      return path(route.page);
    case "token-create":
      return path("create-token");
    case "token":
      return path("tokens", route.name);
    case "namespaces":
      return route.network === null ? path("namespaces") : path("namespaces", route.network);
    case "namespace":
      return path("namespaces", route.network, route.namespace);
    case "group":
      return path("namespaces", route.network, route.namespace, route.group);
    case "item":
      return path("namespaces", route.network, route.namespace, route.group, route.item);
    case "not-found":
      return `#${route.path}`;
  }
}

/** The login key of a `#key=…` fragment (the banner's and `edgekv console`'s URL), if any. */
export function loginKeyOf(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const key = params.get("key");
  return key === null || key === "" ? null : key;
}
