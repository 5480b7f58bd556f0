import { apiSuite } from "./api-suite";
import { authSuite } from "./auth-suite";
import { classroomsSuite } from "./classrooms-suite";
import { postgresDatabase } from "./databases";
import { modelsSuite } from "./models-suite";
import { oidcSuite } from "./oidc-suite";

// Fails, saying how to set it up, when TEST_DATABASE_URL is not set: CI always sets it.
apiSuite("PostgreSQL", postgresDatabase);
authSuite("PostgreSQL", postgresDatabase);
modelsSuite("PostgreSQL", postgresDatabase);
classroomsSuite("PostgreSQL", postgresDatabase);
oidcSuite("PostgreSQL", postgresDatabase);
