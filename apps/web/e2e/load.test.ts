/**
 * 200 students saving notebooks and models at once against the production build, on embedded
 * PGlite and on PostgreSQL: nothing fails and every write reads back. The figures (throughput,
 * p50/p99 per request) are printed, not asserted; `npm run load-test -w @gradbook/web` runs
 * just this.
 */
import * as torch from "@gradbook/engine";
import { afterAll, describe, expect, it } from "vitest";
import { emptyPostgresDatabase } from "../test/databases";
import { type AppServer, startAppServer } from "./app-server";
import { formatReport, runLoad } from "./load";

const STUDENTS = 200;
const SAVES = 5;

/** Each student's model: a small MLP (~80 KB of safetensors) with its own seeded weights. */
async function models(): Promise<Uint8Array[]> {
  const all: Uint8Array[] = [];
  for (let i = 0; i < STUDENTS; i++) {
    torch.manual_seed(i);
    const mlp = new torch.nn.Sequential(
      new torch.nn.Linear(64, 256),
      new torch.nn.ReLU(),
      new torch.nn.Linear(256, 10),
    );
    all.push(await torch.save(mlp, { student: String(i) }));
  }
  return all;
}

describe("a class saving at once", () => {
  const servers: AppServer[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
    for (const cleanup of cleanups) await cleanup();
  });

  const scenarios: [string, () => Promise<AppServer>][] = [
    ["PGlite", () => startAppServer()],
    [
      "PostgreSQL",
      async () => {
        const database = await emptyPostgresDatabase();
        cleanups.push(() => database.drop());
        return startAppServer({ databaseUrl: database.url });
      },
    ],
  ];

  for (const [name, start] of scenarios) {
    it(`${STUDENTS} students on ${name}: every notebook and model saved reads back`, async () => {
      const bytes = await models();
      const server = await start();
      servers.push(server);
      const report = await runLoad({
        url: server.url,
        students: STUDENTS,
        saves: SAVES,
        model: (i) => bytes[i],
      });
      console.log(formatReport(name, report));
      expect(report.failures).toEqual([]);
      expect(report.lost).toEqual([]);
      expect(report.requests).toBe(STUDENTS * (SAVES + 2));
    }, 300_000);
  }
});
