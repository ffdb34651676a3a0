import { segment } from "./api-client.ts";
import { UserError } from "./user-error.ts";

export type Network = "staging" | "production";

/** `staging` or `production`, as the official CLI's `<environment>` argument (any case). */
export function parseNetwork(text: string): Network {
  const network = text.toLowerCase();
  if (network !== "staging" && network !== "production") {
    throw new UserError(`The network must be staging or production, not "${text}".`);
  }
  return network;
}

/** `/networks/{network}/namespaces[/{ns}[/groups[/{group}[/items/{item}]]]]`, each name encoded. */
export function kvPath(
  network: Network,
  place: { namespace?: string; group?: string; groups?: true; item?: string } = {},
): string {
  let path = `/networks/${network}/namespaces`;
  if (place.namespace === undefined) return path;
  path += `/${segment(place.namespace)}`;
  if (place.group === undefined) return place.groups === true ? `${path}/groups` : path;
  path += `/groups/${segment(place.group)}`;
  return place.item === undefined ? path : `${path}/items/${segment(place.item)}`;
}

export const readStringArray = (value: unknown, what: string): string[] => {
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === "string")) {
    throw new UserError(`The server answered with something that is not a list of ${what}.`);
  }
  return value;
};
