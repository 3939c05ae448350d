-- A packed order's cancellation is a request that Dispatch answers (pickup closed, carrier order cancelled, or
-- already collected); a shipment of more than 300 boxes is booked as several carrier orders.

-- When a collection last began asking the carrier for its order(s): from then on a carrier order may exist, so a
-- cancellation must be confirmed by the carrier, and waits until that collection has finished or its lease ran out.
alter table pickups add column booking_started_at timestamptz;

create table cancellation_requests (
    order_id       uuid        primary key,
    cooperative_id text        not null,
    reason         text        not null,
    requested_at   timestamptz not null,
    next_try_at    timestamptz not null,
    tries          int         not null default 0,
    last_error     text,
    answered_at    timestamptz,
    outcome        text check (outcome in ('pickup_closed', 'carrier_order_cancelled', 'already_collected'))
);
create index cancellation_requests_pending on cancellation_requests (next_try_at) where answered_at is null;

-- The carrier's orders of a shipment: part 1 keeps the id derived from the shipment (MC…), parts 2.. add "-n".
create table carrier_orders (
    carrier_order_id  text        primary key,
    shipment_id       uuid        not null references shipments (id),
    part              int         not null,
    master_waybill_no text        not null,
    parcels           int         not null,
    unique (shipment_id, part)
);
insert into carrier_orders (carrier_order_id, shipment_id, part, master_waybill_no, parcels)
select s.carrier_order_id, s.id, 1, s.master_waybill_no, (select count(*) from waybills w where w.shipment_id = s.id)
from shipments s;

alter table waybills add column part int not null default 1;
