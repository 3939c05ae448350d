-- PIPL: personal data is kept no longer than its purpose needs. A shipment's consignee (name, phone, address), the
-- signer named in the carrier's remarks and a contract grower's name and phone are dropped from the kept events and the
-- read model a set time after the shipment ended (PersonalDataRetention); this marks the shipments done.
alter table shipments add column personal_data_dropped_at timestamptz;
create index shipments_personal_data_due on shipments (order_id) where personal_data_dropped_at is null;
create index event_log_by_order on event_log ((body ->> 'orderId')) where event_type in ('shipment-requested', 'shipment-status-changed');
