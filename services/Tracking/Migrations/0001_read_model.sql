-- Tracking's read model, built only from events. Every event is kept in event_log so the read model can be
-- rebuilt from scratch; every projection is an idempotent, order-independent upsert.

create table event_log (
    seq          bigint generated always as identity primary key,
    event_id     uuid        not null unique,
    event_type   text        not null,
    body         jsonb       not null,
    occurred_at  timestamptz not null
);

create table shipments (
    order_id           uuid primary key,
    cooperative_id     text not null,
    buyer_id           uuid,
    product            text,
    destination_city   text,
    phone_last4        text,
    requested_at       timestamptz,
    shipment_id        uuid,
    carrier            text,
    master_waybill_no  text unique,
    list_fen           bigint,
    negotiated_fen     bigint,
    booked_at          timestamptz,
    promised_by        timestamptz,
    delivered_at       timestamptz,
    on_time            boolean
);
create index shipments_by_buyer on shipments (cooperative_id, buyer_id, order_id);

create table boxes (
    trace_code      text primary key,
    order_id        uuid   not null,
    cooperative_id  text   not null,
    grade           text   not null,
    net_grams       bigint not null,
    packed_at       timestamptz not null,
    sources         jsonb  not null
);
create index boxes_by_order on boxes (order_id);

create table waybills (
    waybill_no  text primary key,
    order_id    uuid not null,
    trace_code  text not null
);
create index waybills_by_trace on waybills (trace_code);

create table timeline (
    event_id       uuid primary key,
    order_id       uuid        not null,
    waybill_no     text        not null,
    status         text        not null,
    status_at      timestamptz not null,
    location       text        not null,
    carrier_code   text        not null,
    remark         text        not null
);
create index timeline_by_order on timeline (order_id, status_at);

create table contracts (
    contract_id   uuid primary key,
    region        text not null,
    season        text not null,
    version_at    timestamptz not null
);

create table seedling_issues (
    event_id      uuid primary key,
    contract_id   uuid not null,
    batch_no      text not null,
    nursery       text not null,
    mother_field  text not null,
    issued_on     date not null
);
create index seedling_issues_by_contract on seedling_issues (contract_id);
