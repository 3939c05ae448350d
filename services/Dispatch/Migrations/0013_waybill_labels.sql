-- The carriers' waybill labels (电子面单), fetched from their cloud print after booking, one PDF per carrier order
-- (a page per parcel, in the order of its waybills). Carrier orders booked from now on want labels (labels_wanted
-- defaults to true only for new rows: orders booked before this migration are not fetched); the label worker tries
-- each until it has them, backing off while the carrier fails (labels_tries, labels_error, labels_next_attempt_at).
alter table carrier_orders
    add column labels_wanted          boolean not null default false,
    add column labels_fetched_at      timestamptz,
    add column labels_next_attempt_at timestamptz,
    add column labels_tries           int not null default 0,
    add column labels_error           text;
alter table carrier_orders alter column labels_wanted set default true;
create index carrier_orders_labels_due on carrier_orders (labels_next_attempt_at nulls first)
    where labels_wanted and labels_fetched_at is null;

create table waybill_labels (
    carrier_order_id text        primary key references carrier_orders (carrier_order_id),
    shipment_id      uuid        not null references shipments (id),
    paper            text        not null,
    pages            int         not null check (pages > 0),
    pdf              bytea       not null,
    fetched_at       timestamptz not null
);
create index waybill_labels_by_shipment on waybill_labels (shipment_id);
