-- The EPCIS export reads each step of the chain by the time it happened, within one cooperative.
create index receipts_by_received on receipts (cooperative_id, received_at);
create index gradings_by_time on gradings (cooperative_id, graded_at);
create index gradings_reversed on gradings (cooperative_id, reversed_at) where reversed_at is not null;
create index orders_by_packed on orders (cooperative_id, packed_at) where packed_at is not null;
