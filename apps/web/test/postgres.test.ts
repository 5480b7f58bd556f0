import { apiSuite } from "./api-suite";
import { postgresDatabase } from "./databases";

// Fails, saying how to set it up, when TEST_DATABASE_URL is not set: CI always sets it.
apiSuite("PostgreSQL", postgresDatabase);
