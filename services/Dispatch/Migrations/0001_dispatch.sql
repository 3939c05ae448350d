-- Dispatch (揽收调度): rate cards, pickups, shipments, waybills and the carrier's raw route records.

-- A rate card is data. cooperative_id '*' is the illustrative default card (services/Dispatch/CARRIERS.md), used by every
-- cooperative until it puts its own contract's figures.
create table rate_cards (
    cooperative_id     text   not null,
    product            text   not null,
    origin_province    text   not null,
    destination        text   not null,
    first_grams        bigint not null check (first_grams > 0),
    first_fen          bigint not null check (first_fen >= 0),
    per_kg_fen         bigint not null check (per_kg_fen >= 0),
    volumetric_divisor int    not null check (volumetric_divisor > 0),
    promised_days      int    not null check (promised_days > 0),
    per_shipment       bool   not null default false,
    primary key (cooperative_id, product, origin_province, destination)
);

insert into rate_cards values
    ('*', 'express',  'Guangdong', 'Beijing',   1000, 2200, 1200, 6000, 2, false),
    ('*', 'express',  'Guangdong', 'Shanghai',  1000, 2000, 1000, 6000, 2, false),
    ('*', 'standard', 'Guangdong', 'Beijing',   1000, 1800,  600, 6000, 3, false),
    ('*', 'standard', 'Guangdong', 'Shanghai',  1000, 1600,  500, 6000, 3, false),
    ('*', 'cold',     'Guangdong', 'Beijing',   1000, 3000, 1500, 6000, 2, false),
    ('*', 'cold',     'Guangdong', 'Shanghai',  1000, 2800, 1300, 6000, 2, false),
    ('*', 'land',     'Guangdong', 'Beijing',   1000, 1500,  300, 6000, 4, false),
    ('*', 'land',     'Guangdong', 'Shanghai',  1000, 1300,  250, 6000, 3, false),
    ('*', 'heavy',    'Guangdong', 'Beijing',  20000, 9000,  400, 6000, 3, true),
    ('*', 'heavy',    'Guangdong', 'Shanghai', 20000, 8000,  350, 6000, 3, true);

-- The cooperative's carrier account: the negotiated discount in basis points (7500 = 75% of list).
create table carrier_accounts (
    cooperative_id text primary key,
    discount_bps   int  not null check (discount_bps between 1 and 10000)
);

-- Orders cancelled before (or without) their ShipmentRequested: a late request then opens nothing.
create table cancelled_orders (
    order_id       uuid primary key,
    cooperative_id text not null,
    reason         text not null,
    cancelled_at   timestamptz not null
);

-- An open pickup per requested shipment (ShipmentRequested), taken by one courier.
create table pickups (
    id               uuid        primary key,
    cooperative_id   text        not null,
    order_id         uuid        not null unique,
    shipment_id      uuid        not null unique,   -- decided at opening: the carrier orderId derives from it
    buyer_id         uuid        not null,
    product          text        not null,
    destination_city text        not null,
    address          text        not null,
    contact_name     text        not null,
    phone            text        not null,
    status           text        not null check (status in ('open', 'accepted', 'scheduled', 'collected', 'cancelled')),
    courier_id       text,
    window_start     timestamptz not null,
    window_end       timestamptz not null,
    box_count        int         not null,
    oldest_harvest   date,
    opened_at        timestamptz not null,
    updated_at       timestamptz not null
);
create index pickups_by_status on pickups (cooperative_id, status, opened_at, id);

create table pickup_boxes (
    pickup_id  uuid   not null references pickups (id),
    seq        int    not null,
    trace_code text   not null,
    grade      text   not null,
    net_grams  bigint not null,
    length_cm  int    not null,
    width_cm   int    not null,
    height_cm  int    not null,
    primary key (pickup_id, seq),
    unique (pickup_id, trace_code)
);

create table shipments (
    id                uuid        primary key,
    cooperative_id    text        not null,
    pickup_id         uuid        not null unique references pickups (id),
    order_id          uuid        not null,
    buyer_id          uuid        not null,
    carrier           text        not null,
    carrier_order_id  text        not null unique,
    product           text        not null,
    destination_city  text        not null,
    master_waybill_no text        not null,
    chargeable_grams  bigint      not null,
    list_fen          bigint      not null,
    negotiated_fen    bigint      not null,
    collected_at      timestamptz not null,
    promised_by       timestamptz not null,
    status            text        not null,
    status_at         timestamptz not null,
    delivered_at      timestamptz,
    on_time           bool,
    last_route_at     timestamptz not null,   -- when the carrier last told us anything (push or poll)
    courier_id        text        not null
);
create index shipments_quiet on shipments (last_route_at) where status not in ('delivered', 'cancelled', 'return_to_sender');

create table waybills (
    waybill_no  text primary key,
    shipment_id uuid not null references shipments (id),
    trace_code  text not null,
    kind        text not null check (kind in ('master', 'child'))
);
create index waybills_by_shipment on waybills (shipment_id);

-- Route records exactly as the carrier sent them; status is our mapping (null = unknown opCode).
create table route_records (
    id             bigint generated always as identity primary key,
    shipment_id    uuid        not null references shipments (id),
    waybill_no     text        not null,
    op_code        text        not null,
    status         text,
    accept_time    timestamptz not null,
    accept_address text        not null,
    remark         text        not null,
    raw            jsonb       not null,
    received_at    timestamptz not null,
    unique (waybill_no, op_code, accept_time)
);
create index route_records_timeline on route_records (shipment_id, accept_time, id);
