-- A cooperative's admin rebuilds that cooperative's part of the read model only: every row and every kept event
-- names its cooperative, so the rebuild deletes and replays just those (row locks, no truncate: nobody's reads wait).
alter table event_log add column cooperative_id text;
update event_log set cooperative_id = body->>'cooperativeId';
alter table event_log alter column cooperative_id set not null;
create index event_log_by_cooperative on event_log (cooperative_id, seq);

alter table waybills add column cooperative_id text;
update waybills w set cooperative_id = s.cooperative_id from shipments s where s.order_id = w.order_id;
update waybills set cooperative_id = '' where cooperative_id is null;
alter table waybills alter column cooperative_id set not null;
create index waybills_by_cooperative on waybills (cooperative_id);

alter table timeline add column cooperative_id text;
update timeline t set cooperative_id = e.cooperative_id from event_log e where e.event_id = t.event_id;
update timeline set cooperative_id = '' where cooperative_id is null;
alter table timeline alter column cooperative_id set not null;
create index timeline_by_cooperative on timeline (cooperative_id);

alter table contracts add column cooperative_id text;
update contracts c set cooperative_id = e.cooperative_id
from event_log e where e.event_type in ('contract-signed', 'contract-amended') and (e.body->>'contractId')::uuid = c.contract_id;
update contracts set cooperative_id = '' where cooperative_id is null;
alter table contracts alter column cooperative_id set not null;

alter table seedling_issues add column cooperative_id text;
update seedling_issues s set cooperative_id = e.cooperative_id from event_log e where e.event_id = s.event_id;
update seedling_issues set cooperative_id = '' where cooperative_id is null;
alter table seedling_issues alter column cooperative_id set not null;

create index boxes_by_cooperative on boxes (cooperative_id);
