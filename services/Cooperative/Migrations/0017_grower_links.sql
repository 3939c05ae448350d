-- 农户自己的页面: a grower's private link is a token derived from the member id and link_version with a server-side
-- secret (HMAC-SHA256), so it is never stored in clear. link_digest is the SHA-256 of the current token, kept only to
-- find the member a token names; rotation bumps the version and clears the digest, so every older link is dead at once.
alter table growers add column link_version int not null default 1 check (link_version > 0);
alter table growers add column link_digest bytea;
create unique index growers_link_digest on growers (link_digest) where link_digest is not null;
