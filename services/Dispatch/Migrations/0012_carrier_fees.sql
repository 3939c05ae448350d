-- What the carriers bill (SF's pushed 清单运费, SF's EXP_RECE_QUERY_SFWAYBILL, JD's actual fee): one row per carrier,
-- waybill and fee type, the highest version winning; a fee of a waybill not booked here is kept all the same.
create table carrier_fees (
    carrier       text        not null,
    waybill_no    text        not null,
    fee_type_code text        not null,
    fee_name      text        not null,
    amount_fen    bigint      not null check (amount_fen >= 0),
    version_no    int         not null,
    source        text        not null check (source in ('push', 'query')),
    received_at   timestamptz not null,
    primary key (carrier, waybill_no, fee_type_code)
);

-- Each carrier order's bill: the sum of its waybills' fees, and the version published in carrier-fee-billed (0 = none
-- yet). next_fee_query_at: when the fee worker may ask the carrier again for an order still without a bill.
alter table carrier_orders add column billed_fen bigint;
alter table carrier_orders add column bill_version int not null default 0;
alter table carrier_orders add column billed_at timestamptz;
alter table carrier_orders add column next_fee_query_at timestamptz;
create index carrier_orders_without_bill on carrier_orders (next_fee_query_at nulls first) where billed_fen is null;
