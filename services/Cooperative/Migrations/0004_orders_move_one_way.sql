-- Orders move one way: placed → packed → collected → delivered → settled, or cancelled. A packed order's
-- cancellation is a request that Dispatch answers; until then the order is cancel_requested and keeps its stock.
alter table orders add column cancel_requested_at timestamptz;
alter table orders add column cancel_answer       text;
alter table orders add column collected_at        timestamptz;

-- Settlement takes every unsettled delivered order up to its `to` date, so the index no longer starts at a period.
drop index if exists orders_delivered;
create index orders_unsettled on orders (cooperative_id, delivered_at) where settlement_id is null and cancelled_at is null;
