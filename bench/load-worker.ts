import { parentPort, Worker, workerData } from "node:worker_threads";
import { type LoadResult, runLoad } from "./load.ts";

type LoadOptions = Parameters<typeof runLoad>[0];

/** Runs the load generator on its own thread (and so its own core) and hands back the result. */
export function runLoadInWorker(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // tsx's loader is not inherited by worker threads, so the worker registers it before importing us.
    const source = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(source, { eval: true, workerData: options });
    worker.once("message", (result: LoadResult) => resolve(result));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`load worker exited with code ${code}`)));
  });
}

if (parentPort !== null) {
  parentPort.postMessage(await runLoad(workerData as LoadOptions));
}
