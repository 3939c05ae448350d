-- One grower, one identity: a contract grower is typed in once, in ContractGrowing. The Cooperative keeps the grower
-- each signed contract names (ContractSigned: ContractGrowing's id and the grower's details), and a contract member is
-- made from that, linked by ContractGrowing's id; a grower is a member of a cooperative at most once.
alter table contract_terms rename column grower_id to growing_grower_id;
alter table contract_terms add column grower_name text;
alter table contract_terms add column grower_phone text;
alter table contract_terms add column grower_town text;
alter table contract_terms add column grower_village text;

alter table growers add column growing_grower_id uuid;
update growers g set growing_grower_id = t.growing_grower_id
from contract_terms t where t.contract_id = g.contract_id and g.kind = 'contract';
create unique index growers_one_member_per_growing_grower on growers (cooperative_id, growing_grower_id)
    where growing_grower_id is not null;
