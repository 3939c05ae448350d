-- Every box ends somewhere (issue 30): each carrier order of a shipment ends delivered, returned (退回) or lost (丢失),
-- told by Dispatch's shipment-part-ended. A box keeps the first outcome told; the order has ended once every box has
-- one (ended_at, the latest part's end, carrier's time), and settlement takes it from then on.
alter table boxes add column outcome          text check (outcome in ('delivered', 'returned', 'lost'));
alter table boxes add column outcome_at       timestamptz;
alter table boxes add column carrier_order_id text;
alter table orders add column ended_at timestamptz;
create index orders_ended on orders (cooperative_id, ended_at) where settlement_id is null and cancelled_at is null;
