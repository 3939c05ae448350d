-- Contract terms follow the lot: a receipt is priced by its own contract's terms in force on its harvest date, so every
-- version of every contract's guaranteed minimum is kept with the first harvest date it prices (ContractSigned's
-- version 1 from the start: null; each ContractAmended from its effectiveFrom). contract_terms keeps the contract's
-- grower and its newest version as before.
create table contract_term_versions (
    contract_id    uuid        not null,
    version        int         not null,
    cooperative_id text        not null,
    min_price      jsonb       not null,
    effective_from date,
    recorded_at    timestamptz not null,
    primary key (contract_id, version)
);
-- What was kept before is only each contract's newest version; it prices everything, as it did.
insert into contract_term_versions (contract_id, version, cooperative_id, min_price, effective_from, recorded_at)
select contract_id, version, cooperative_id, min_price, null, changed_at from contract_terms;

-- A contract completed or terminated (ContractCompleted / ContractTerminated) on a China date: no harvest dated that day
-- or later is received under it. Kept apart from contract_terms so the end is kept whichever event arrives first.
create table contract_ends (
    contract_id    uuid        primary key,
    cooperative_id text        not null,
    ended_as       text        not null check (ended_as in ('completed', 'terminated')),
    ended_on       date        not null,
    ended_at       timestamptz not null
);

