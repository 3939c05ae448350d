-- Consumers are named by their queue in the event catalogue ('tracking-shipment-booked'), no longer by their class
-- ('ShipmentBookedConsumer'), so renaming a class never lets a redelivered message take effect again.
update inbox
set consumer = 'tracking-' || lower(regexp_replace(regexp_replace(consumer, 'Consumer$', ''), '([a-z0-9])([A-Z])', '\1-\2', 'g'))
where consumer like '%Consumer';

-- The event log keeps events under their catalogue names too, so a renamed class still rebuilds.
update event_log
set event_type = lower(regexp_replace(regexp_replace(event_type, '^.*\.', ''), '([a-z0-9])([A-Z])', '\1-\2', 'g'))
where event_type like 'MelonChain.Messages.%';
