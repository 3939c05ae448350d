-- Events are stored under their catalogue names (MelonChain.Messages.EventCatalogue), no longer under .NET type
-- names: 'MelonChain.Messages.Cooperative.HarvestReceived' becomes 'harvest-received'.
update outbox
set message_type = lower(regexp_replace(regexp_replace(message_type, '^.*\.', ''), '([a-z0-9])([A-Z])', '\1-\2', 'g'))
where message_type like 'MelonChain.Messages.%';

-- Retention (RetentionWorker) deletes by age: keys after 24 hours, inbox rows after the redelivery horizon.
create index if not exists idempotency_keys_created on idempotency_keys (created_at);
create index if not exists inbox_received on inbox (received_at);
