-- Claims for compensation filed with the carrier for lost or damaged parcels (理赔). One open claim per waybill; a
-- refused one may be filed again. status: filed (not yet answered by the carrier), accepted, refused, paid.
create table carrier_claims (
    id               uuid        primary key,
    cooperative_id   text        not null,
    shipment_id      uuid        not null references shipments (id),
    order_id         uuid        not null,
    carrier          text        not null,
    waybill_no       text        not null,
    reason           text        not null check (reason in ('lost', 'damaged')),
    amount_fen       bigint      not null check (amount_fen > 0),
    trace_codes      text[]      not null,
    status           text        not null check (status in ('filed', 'accepted', 'refused', 'paid')),
    carrier_claim_no text,
    refusal          text,
    paid_fen         bigint,
    filed_at         timestamptz not null,
    filed_by         text        not null,
    answered_at      timestamptz,
    paid_at          timestamptz,
    next_attempt_at  timestamptz not null,
    tries            int         not null default 0
);
create unique index carrier_claims_one_open_per_waybill on carrier_claims (waybill_no) where status <> 'refused';
create index carrier_claims_by_shipment on carrier_claims (shipment_id);
create index carrier_claims_waiting on carrier_claims (next_attempt_at) where status in ('filed', 'accepted');
