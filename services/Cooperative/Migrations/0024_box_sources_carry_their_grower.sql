-- Settlement sums a season's box sources per order and per grower (a million rows at the P5 season). A lot's grower and
-- whether it was delivered under contract never change once graded, so each box source carries them from its lot at
-- packing and the sums no longer hash every lot of the season (about 0.6 s of a 1M-receipt settlement's shares query).
alter table box_sources add column grower_id uuid, add column under_contract boolean;
update box_sources s set grower_id = l.grower_id, under_contract = l.contract_id is not null from lots l where l.id = s.lot_id;
alter table box_sources alter column grower_id set not null, alter column under_contract set not null;
