/**
 * A class at once: simulated students, each a browser of its own (cookie, address), who create a
 * notebook, autosave it a few times and save a model, all concurrently against a running app;
 * then every write is read back. Reports throughput and latency per kind of request.
 */

export interface LoadOptions {
  readonly url: string;
  readonly students: number;
  /** Saves per notebook after it is created. */
  readonly saves: number;
  /** A model's bytes for each student (each different, so a mix-up is caught). */
  readonly model: (student: number) => Uint8Array;
}

export interface LoadReport {
  readonly students: number;
  readonly requests: number;
  readonly seconds: number;
  readonly failures: readonly string[];
  /** Writes whose read-back differed or was missing. */
  readonly lost: readonly string[];
  /** Milliseconds per request kind: p50 and p99. */
  readonly latency: Record<string, { count: number; p50: number; p99: number }>;
}

class Student {
  cookie = "";
  constructor(
    readonly appUrl: string,
    readonly address: string,
    readonly timings: Map<string, number[]>,
  ) {}

  async request(kind: string, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    // The app's own page sends these: same-origin (CSRF check) and the client's address as a
    // proxy would report it (so identities are limited per student, not per test machine).
    headers.set("origin", this.appUrl);
    headers.set("x-forwarded-for", this.address);
    if (this.cookie) headers.set("cookie", this.cookie);
    const started = performance.now();
    const response = await fetch(`${this.appUrl}${path}`, { ...init, headers });
    const body = await response.arrayBuffer();
    const list = this.timings.get(kind) ?? [];
    list.push(performance.now() - started);
    this.timings.set(kind, list);
    const setCookie = response.headers.getSetCookie()[0];
    if (setCookie) this.cookie = setCookie.split(";")[0];
    if (!response.ok) {
      throw new Error(
        `${kind}: ${response.status} ${new TextDecoder().decode(body).slice(0, 200)}`,
      );
    }
    return new Response(body, { status: response.status, headers: response.headers });
  }

  async call<T>(procedure: string, input: unknown, kind = procedure): Promise<T> {
    const response = await this.request(kind, `/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    return ((await response.json()) as { result: { data: T } }).result.data;
  }

  async query<T>(procedure: string, input: unknown): Promise<T> {
    const query = encodeURIComponent(JSON.stringify(input));
    const response = await this.request(procedure, `/api/trpc/${procedure}?input=${query}`);
    return ((await response.json()) as { result: { data: T } }).result.data;
  }
}

function notebookText(student: number, save: number): string {
  return `---\ntitle: Student ${student}\n---\n\nSave ${save}.\n\n\`\`\`js\nconst x = ${save}\n\`\`\`\n`;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const timings = new Map<string, number[]>();
  const failures: string[] = [];
  const lost: string[] = [];
  const students = Array.from(
    { length: options.students },
    (_, i) => new Student(options.url, `10.${(i >> 8) & 255}.${i & 255}.1`, timings),
  );
  const modelName = (i: number) => `model-${i}`;

  const started = performance.now();
  const written = await Promise.all(
    students.map(async (student, i) => {
      try {
        let { id, version } = await student.call<{ id: string; version: number }>(
          "notebooks.create",
          { content: notebookText(i, 0) },
        );
        for (let s = 1; s <= options.saves; s++) {
          ({ version } = await student.call<{ version: number }>(
            "notebooks.update",
            { id, version, content: notebookText(i, s) },
            "notebooks.update",
          ));
        }
        await student.request("models.upload", `/api/models/${modelName(i)}`, {
          method: "PUT",
          headers: { "content-type": "application/octet-stream" },
          body: new Uint8Array(options.model(i)),
        });
        return { id, version };
      } catch (error) {
        failures.push(`student ${i}: ${(error as Error).message}`);
        return null;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const writeRequests = [...timings.values()].reduce((n, list) => n + list.length, 0);

  // Read every write back: the notebook's last save and the model's exact bytes.
  await Promise.all(
    students.map(async (student, i) => {
      const notebook = written[i];
      if (!notebook) return;
      try {
        const got = await student.query<{ content: string; version: number }>("notebooks.get", {
          id: notebook.id,
        });
        if (got.content !== notebookText(i, options.saves) || got.version !== notebook.version) {
          lost.push(`student ${i}'s notebook reads back as version ${got.version}`);
        }
        const model = await student.request("models.download", `/api/models/${modelName(i)}`);
        const bytes = new Uint8Array(await model.arrayBuffer());
        if (Buffer.compare(bytes, options.model(i)) !== 0) {
          lost.push(`student ${i}'s model reads back as ${bytes.length} different bytes`);
        }
      } catch (error) {
        lost.push(`student ${i}: ${(error as Error).message}`);
      }
    }),
  );

  const latency: LoadReport["latency"] = {};
  for (const [kind, list] of timings) {
    const sorted = [...list].sort((a, b) => a - b);
    latency[kind] = {
      count: list.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
    };
  }
  return { students: options.students, requests: writeRequests, seconds, failures, lost, latency };
}

export function formatReport(database: string, report: LoadReport): string {
  const lines = [
    `Load test on ${database}: ${report.students} students, ${report.requests} writes in ${report.seconds.toFixed(1)} s ` +
      `(${(report.requests / report.seconds).toFixed(0)} writes/s), ${report.failures.length} failed, ${report.lost.length} lost`,
  ];
  for (const [kind, { count, p50, p99 }] of Object.entries(report.latency)) {
    lines.push(
      `  ${kind.padEnd(18)} ${String(count).padStart(5)} requests  p50 ${p50.toFixed(0).padStart(5)} ms  p99 ${p99.toFixed(0).padStart(5)} ms`,
    );
  }
  return lines.join("\n");
}
