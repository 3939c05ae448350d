-- Cross-cutting tables every service database has: transactional outbox, inbox, idempotency keys.

create table if not exists outbox (
    id              bigint generated always as identity primary key,
    message_id      uuid        not null unique,
    message_type    text        not null,
    body            jsonb       not null,
    occurred_at     timestamptz not null,
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text
);
create index if not exists outbox_due on outbox (next_attempt_at, id);

-- A consumer records each message it has applied, in the same transaction as its effects.
create table if not exists inbox (
    message_id  uuid        not null,
    consumer    text        not null,
    received_at timestamptz not null default now(),
    primary key (message_id, consumer)
);

-- Stored responses of POSTs sent with an Idempotency-Key, written in the request's own transaction.
create table if not exists idempotency_keys (
    scope        text        not null,
    key          text        not null,
    request_hash bytea       not null,
    status_code  int         not null,
    body         text,
    created_at   timestamptz not null default now(),
    primary key (scope, key)
);
