CREATE TABLE `run_claims` (
	`workspace` text PRIMARY KEY NOT NULL,
	`claimant` text,
	`at` text NOT NULL
);
