// The load generator's process: runs one closed-loop load per message and answers with its result.
import { runLoad } from "./load.ts";

type LoadOptions = Parameters<typeof runLoad>[0];

process.on("message", (options: LoadOptions) => {
  runLoad(options).then(
    (result) => process.send?.(result),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.stack : String(error) }),
  );
});
