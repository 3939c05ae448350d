-- Deliveries under contract, as the Cooperative received them (HarvestReceived) and graded them (HarvestGraded).
create table deliveries (
    receipt_id     uuid        primary key,
    cooperative_id text        not null,
    contract_id    uuid        not null,
    grower_id      uuid        not null,
    receipt_no     text        not null,
    harvested_on   date        not null,
    gross_grams    bigint      not null,
    received_at    timestamptz not null
);
create index deliveries_by_contract on deliveries (cooperative_id, contract_id);
