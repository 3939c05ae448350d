-- 统一挑选 grading into lots, stock, buyers and orders, packing into traced boxes (一箱一码),
-- and what the Cooperative keeps of other services' events (contract terms, shipments).

create table gradings (
    receipt_id     uuid        primary key references receipts (id),
    cooperative_id text        not null,
    graded_grams   bigint      not null,
    shrink_grams   bigint      not null,
    graded_at      timestamptz not null,
    graded_by      text        not null
);

-- Each grade line of a grading is a lot; allocated_grams grows as orders are packed from it.
create table lots (
    id              uuid        primary key,
    cooperative_id  text        not null,
    receipt_id      uuid        not null references receipts (id),
    grower_id       uuid        not null references growers (id),
    contract_id     uuid,
    harvested_on    date        not null,
    graded_at       timestamptz not null,
    grade           text        not null check (grade in ('premium', 'grade1', 'grade2', 'offgrade')),
    grams           bigint      not null check (grams > 0),
    fruit_count     int,
    allocated_grams bigint      not null default 0 check (allocated_grams >= 0 and allocated_grams <= grams)
);
create index lots_fifo on lots (cooperative_id, grade, harvested_on, graded_at, id) where allocated_grams < grams;

create table buyers (
    id             uuid        primary key,
    cooperative_id text        not null,
    name           text        not null,
    city           text        not null,
    address        text        not null,
    contact_name   text        not null,
    phone          text        not null,
    created_at     timestamptz not null
);

create table orders (
    id              uuid        primary key,
    cooperative_id  text        not null,
    buyer_id        uuid        not null references buyers (id),
    dest_city       text        not null,
    dest_address    text        not null,
    dest_contact    text        not null,
    dest_phone      text        not null,
    box_net_grams   bigint      not null,
    box_length_cm   int         not null,
    box_width_cm    int         not null,
    box_height_cm   int         not null,
    product         text        not null,
    placed_at       timestamptz not null,
    packed_at       timestamptz,
    cancelled_at    timestamptz,
    cancel_reason   text,
    shipment_id     uuid,
    freight_fen     bigint,
    booked_at       timestamptz,
    delivered_at    timestamptz,
    on_time         boolean,
    settlement_id   uuid
);
create index orders_delivered on orders (cooperative_id, delivered_at) where settlement_id is null;

create table order_lines (
    order_id          uuid   not null references orders (id),
    grade             text   not null,
    grams             bigint not null check (grams > 0),
    price_fen_per_kg  bigint not null check (price_fen_per_kg >= 0),
    primary key (order_id, grade)
);

create table boxes (
    trace_code  text   primary key,
    order_id    uuid   not null references orders (id),
    seq         int    not null,
    grade       text   not null,
    net_grams   bigint not null check (net_grams > 0)
);
create index boxes_by_order on boxes (order_id, seq);

create table box_sources (
    trace_code  text   not null references boxes (trace_code),
    lot_id      uuid   not null references lots (id),
    grams       bigint not null check (grams > 0),
    primary key (trace_code, lot_id)
);
create index box_sources_by_lot on box_sources (lot_id);

-- Guaranteed minimum prices from ContractSigned / ContractAmended (latest version wins).
create table contract_terms (
    contract_id    uuid        primary key,
    cooperative_id text        not null,
    grower_id      uuid        not null,
    min_price      jsonb       not null,
    version        int         not null,
    changed_at     timestamptz not null
);
