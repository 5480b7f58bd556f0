import { pgliteDatabase } from "./databases";
import { oidcSuite } from "./oidc-suite";

// Against a real oidc-provider on a loopback port; postgres.test.ts runs it on PostgreSQL too.
oidcSuite("PGlite", pgliteDatabase);
