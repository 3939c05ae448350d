-- PIPL: an order's consignee (dest_address, dest_contact, dest_phone) is dropped a set time after the order is settled
-- and its claims closed, or after it was cancelled (PersonalDataRetention); this marks the orders done.
alter table orders add column personal_data_dropped_at timestamptz;
create index orders_personal_data_due on orders (id) where personal_data_dropped_at is null;
