import type { Network } from "../../src/kv/model.ts";
import type { Harness } from "./harness.ts";

/** Test-only: puts a namespace straight into storage (the namespace API arrives with the data plane). */
export async function createNamespaceForTest(
  h: Harness,
  input: { name: string; accountId?: string; networks?: Network[]; restrictDataAccess?: boolean },
): Promise<void> {
  for (const network of input.networks ?? ["staging", "production"]) {
    await h.store.namespaces.createWithinLimit(
      {
        accountId: input.accountId ?? "default",
        network,
        name: input.name,
        retentionInSeconds: 0,
        geoLocation: "US",
        groupId: 0,
        restrictDataAccess: input.restrictDataAccess ?? false,
        createdAt: h.clock.now(),
      },
      { limit: 100 },
    );
  }
}
