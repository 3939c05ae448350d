-- Recall (召回) and trace-forward: from a grower, receipt, lot, contract, seedling batch or harvest dates to every
-- box, order, buyer and waybill. Each selector reaches its lots through an index; each lot its boxes through
-- box_sources_by_lot.
create index lots_by_grower on lots (grower_id);
create index lots_by_receipt on lots (receipt_id);
create index lots_by_contract on lots (contract_id) where contract_id is not null;
create index lots_by_harvest on lots (cooperative_id, harvested_on);

-- Each box's own waybill, from ShipmentBooked.
alter table boxes add column waybill_no text;

-- The seedling batches each contract was planted from (ContractSigned's batch and every SeedlingsIssued).
create table contract_seedlings (
    contract_id    uuid not null,
    batch_no       text not null,
    cooperative_id text not null,
    primary key (contract_id, batch_no)
);
create index contract_seedlings_by_batch on contract_seedlings (cooperative_id, batch_no);
