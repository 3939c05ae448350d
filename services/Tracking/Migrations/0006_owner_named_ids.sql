-- The kept events and the boxes' sources name a member memberId and a ContractGrowing grower growingGrowerId (both
-- were "growerId"), like the events now do, so a rebuild replays them as they were meant (key_renamed and box_sources_renamed come from
-- the platform's migration 0003_owner_named_ids.sql, which runs before every service's own).
update event_log set body = key_renamed(body, 'growerId', 'growingGrowerId')
where event_type in ('contract-signed', 'contract-amended');
update event_log set body = jsonb_set(body, '{boxes}', box_sources_renamed(body -> 'boxes'))
where event_type = 'shipment-requested' and jsonb_typeof(body -> 'boxes') = 'array';
update boxes set sources = (select coalesce(jsonb_agg(key_renamed(s, 'growerId', 'memberId') order by i), '[]'::jsonb)
                            from jsonb_array_elements(sources) with ordinality as t(s, i))
where jsonb_typeof(sources) = 'array';
