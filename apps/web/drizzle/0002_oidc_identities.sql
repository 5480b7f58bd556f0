ALTER TABLE "users" DROP CONSTRAINT "users_account_has_email";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "oidc_issuer" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "oidc_subject" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_oidc_identity_idx" ON "users" USING btree ("oidc_issuer","oidc_subject");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_account_has_login" CHECK ("users"."kind" = 'anonymous' or "users"."email" is not null or "users"."oidc_subject" is not null);--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_oidc_pair" CHECK (("users"."oidc_issuer" is null) = ("users"."oidc_subject" is null));