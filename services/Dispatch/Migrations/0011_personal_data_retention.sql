-- PIPL: a pickup's consignee (name, phone, address) and the carrier's remarks on its route (they name who signed) are
-- dropped a set time after the shipment ended (PersonalDataRetention); this marks the pickups done.
alter table pickups add column personal_data_dropped_at timestamptz;
create index pickups_personal_data_due on pickups (id) where personal_data_dropped_at is null;
