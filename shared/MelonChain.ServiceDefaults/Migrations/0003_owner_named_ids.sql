-- Ids that cross a service boundary are named for the service that owns them: a Cooperative member travels as
-- memberId, a ContractGrowing grower as growingGrowerId (both were "growerId"). Events still waiting in the outbox
-- are renamed like the events themselves. The two functions stay for the services' own migrations (Tracking's
-- kept events) that rename the same keys.
create or replace function key_renamed(doc jsonb, old text, new text) returns jsonb language sql immutable as
$$ select case when doc ? old then (doc - old) || jsonb_build_object(new, doc -> old) else doc end $$;

create or replace function box_sources_renamed(boxes jsonb) returns jsonb language sql immutable as
$$ select coalesce(jsonb_agg(case when jsonb_typeof(b -> 'sources') = 'array'
            then jsonb_set(b, '{sources}', (select coalesce(jsonb_agg(key_renamed(s, 'growerId', 'memberId') order by j), '[]'::jsonb)
                                            from jsonb_array_elements(b -> 'sources') with ordinality as u(s, j)))
            else b end order by i), '[]'::jsonb)
   from jsonb_array_elements(boxes) with ordinality as t(b, i) $$;

update outbox set body = key_renamed(body, 'growerId', 'memberId')
where message_type in ('grower-registered', 'harvest-received', 'harvest-graded');
update outbox set body = key_renamed(body, 'growerId', 'growingGrowerId')
where message_type in ('contract-signed', 'contract-amended');
update outbox set body = jsonb_set(body, '{boxes}', box_sources_renamed(body -> 'boxes'))
where message_type = 'shipment-requested' and jsonb_typeof(body -> 'boxes') = 'array';
