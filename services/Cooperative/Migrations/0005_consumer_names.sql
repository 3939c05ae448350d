-- Consumers are named by their queue in the event catalogue ('cooperative-shipment-booked'), no longer by their class
-- ('ShipmentBookedConsumer'), so renaming a class never lets a redelivered message take effect again.
update inbox
set consumer = 'cooperative-' || lower(regexp_replace(regexp_replace(consumer, 'Consumer$', ''), '([a-z0-9])([A-Z])', '\1-\2', 'g'))
where consumer like '%Consumer';
