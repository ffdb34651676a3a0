import { expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { openSqliteStore } from "../../src/storage/sqlite/sqlite-store.ts";
import { describeEachDialect, openTestStore } from "../support/dialects.ts";
import { sampleState } from "./state-fixture.ts";

// The state read from one adapter, written into the other and read again, is the same: what an
// export from SQLite imported into PostgreSQL (and back) relies on.
describeEachDialect("the whole state between SQLite and the dialect", (dialect) => {
  it(`goes from SQLite to ${dialect} and back unchanged`, async () => {
    const sqlite = openSqliteStore({ location: ":memory:", clock: systemClock });
    const { store: other, dispose } = await openTestStore(systemClock);
    const back = openSqliteStore({ location: ":memory:", clock: systemClock });
    try {
      await sqlite.state.replace(sampleState(), { onlyIfEmpty: true });
      const first = await sqlite.state.read();
      expect(await other.state.replace(first, { onlyIfEmpty: true })).toBe(true);
      const second = await other.state.read();
      expect(second).toEqual(first);
      await back.state.replace(second, { onlyIfEmpty: true });
      expect(await back.state.read()).toEqual(first);
    } finally {
      await Promise.all([sqlite.close(), back.close(), dispose()]);
    }
  });
});
