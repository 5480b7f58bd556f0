import pino, { type DestinationStream, type Logger } from "pino";

/**
 * The server's structured log: one JSON object per line on stdout, for whatever collects the
 * container's output (`docker logs`, journald, a log shipper). `LOG_LEVEL` sets the level
 * (trace, debug, info, warn, error, fatal, silent; default info).
 *
 * Never log cookies, passwords, tokens or request bodies: request records carry the method,
 * the procedure path, the status and the duration, nothing else.
 */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

export function createLogger(
  env: Readonly<Record<string, string | undefined>> = process.env,
  destination?: DestinationStream,
): Logger {
  const wanted = env.LOG_LEVEL?.trim().toLowerCase() || "info";
  const level = (LOG_LEVELS as readonly string[]).includes(wanted) ? wanted : "info";
  const logger = pino(
    {
      level,
      base: { service: "gradbook" },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: errorWithoutParams },
      // Belt and braces: should a caller ever pass headers, these never reach the log.
      redact: {
        paths: ["headers.cookie", 'headers["set-cookie"]', "headers.authorization", "password"],
        censor: "[redacted]",
      },
    },
    destination,
  );
  if (level !== wanted) logger.warn({ LOG_LEVEL: env.LOG_LEVEL }, "unknown LOG_LEVEL; using info");
  return logger;
}

/**
 * pino's error serializer (message, stack and causes), minus secrets. A failed
 * Drizzle query's message lists its parameters, which hold what users typed (notebooks, names,
 * password hashes). tRPC copies that message into the error it wraps it in, so every copy goes.
 */
export function errorWithoutParams(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  if (typeof serialized !== "object" || serialized === null) return serialized;
  const out = serialized as Record<string, unknown>;
  delete out.params;
  // node-postgres hangs the pool's Client on idle-connection errors: its connection
  // parameters include the database password.
  delete out.client;
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    if ("params" in current && "query" in current) {
      const safe = `Failed query: ${String(current.query)}\nparams: [redacted]`;
      for (const key of ["message", "stack"]) {
        if (typeof out[key] === "string") out[key] = out[key].replaceAll(current.message, safe);
      }
    }
    current = current.cause;
  }
  return out;
}

/** Kept on globalThis so that a dev-server reload does not open stdout again. */
const KEY = Symbol.for("gradbook.log");
type Holder = { [KEY]?: Logger };

const holder = globalThis as Holder;
holder[KEY] ??= createLogger();
export const log: Logger = holder[KEY];

/** The API's record of one request: what an operator needs, nothing a user typed. */
export interface RequestRecord {
  readonly method: string;
  /** tRPC procedure path(s) from the URL, e.g. `notebooks.get` or `a,b` for a batch. */
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
}

export function requestRecord(req: Request, status: number, startedAt: number): RequestRecord {
  const { pathname } = new URL(req.url);
  // The query string holds GET inputs (share tokens among them): only the path is kept.
  const raw = pathname.replace(/^\/api\/trpc\/?/, "");
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // A malformed escape: keep the path as sent.
  }
  path = path.slice(0, 200);
  return {
    method: req.method,
    path,
    status,
    durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
  };
}

export function logRequest(record: RequestRecord, logger: Logger = log): void {
  if (record.status >= 500) logger.error(record, "api request");
  else logger.info(record, "api request");
}
