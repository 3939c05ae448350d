-- Billed freight, not the estimate (issue 31). The carrier's bill per carrier order (carrier-fee-billed) replaces that
-- carrier order's quote in its order's freight when it is known at settlement; a bill that comes later, or a later
-- version that differs from what was settled, is an adjustment in the next settlement, like a claim.

-- The carrier orders a shipment was booked as (shipment-booked), for the monthly reconciliation (对账). A booking that
-- named none is one carrier order under its master waybill, its id unknown (null).
create table carrier_orders (
    order_id          uuid        not null references orders (id),
    master_waybill_no text        not null,
    carrier_order_id  text,
    part              int         not null,
    carrier           text        not null,
    parcels           int         not null check (parcels > 0),
    booked_at         timestamptz not null,
    primary key (order_id, master_waybill_no)
);

-- One bill per carrier order: the highest version the carrier sent; replays and lower versions change nothing.
-- quoted_fen is the carrier order's part of its shipment's quote, as Dispatch booked it.
create table carrier_fees (
    id                uuid        primary key,
    carrier_order_id  text        not null unique,
    cooperative_id    text        not null,
    order_id          uuid        not null references orders (id),
    shipment_id       uuid        not null,
    carrier           text        not null,
    master_waybill_no text        not null,
    quoted_fen        bigint      not null check (quoted_fen >= 0),
    billed_fen        bigint      not null check (billed_fen >= 0),
    version           int         not null,
    billed_at         timestamptz not null,
    received_at       timestamptz not null
);
create index carrier_fees_order on carrier_fees (order_id);
create index carrier_fees_cooperative on carrier_fees (cooperative_id);

-- What each settlement charged for a bill beyond its carrier order's quote: with its order (in_pool) or as an
-- adjustment for an order settled earlier. What the settlements not reversed charged adds up to billed − quoted of
-- the version they saw; a bill that differs from that is adjusted again by the next settlement.
create table settled_freight (
    settlement_id  uuid    not null references settlements (id),
    carrier_fee_id uuid    not null references carrier_fees (id),
    order_id       uuid    not null references orders (id),
    version        int     not null,
    fen            bigint  not null,
    in_pool        boolean not null,
    primary key (settlement_id, carrier_fee_id)
);
create index settled_freight_fee on settled_freight (carrier_fee_id);

alter table statement_adjustments drop constraint statement_adjustments_kind_check;
alter table statement_adjustments add constraint statement_adjustments_kind_check check (kind in ('credit', 'compensation', 'freight'));
-- The carrier's waybill a freight adjustment is for (its carrier order's master waybill).
alter table statement_adjustments add column waybill_no text;
