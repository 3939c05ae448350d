-- The cooperative members made from this service's growers (GrowerRegistered naming a growingGrowerId): the other half
-- of the link between a contract grower here and the member the cooperative made from its signed contract.
create table memberships (
    member_id         uuid        primary key,
    cooperative_id    text        not null,
    growing_grower_id uuid        not null,
    member_no         text        not null,
    contract_id       uuid,
    registered_at     timestamptz not null
);
create index memberships_by_grower on memberships (cooperative_id, growing_grower_id);
