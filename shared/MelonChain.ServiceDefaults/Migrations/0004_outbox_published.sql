-- Which replica's relay published each outbox row (Service:InstanceId, the pod's name on Kubernetes), written in the
-- transaction that deletes the row. With several replicas it shows that their relays shared the work and that no row
-- was published by two of them (FOR UPDATE SKIP LOCKED). Kept 24 hours (Retention).
create table if not exists outbox_published (
    message_id   uuid        not null,
    message_type text        not null,
    published_by text        not null,
    published_at timestamptz not null default now()
);
create index if not exists outbox_published_at on outbox_published (published_at);
