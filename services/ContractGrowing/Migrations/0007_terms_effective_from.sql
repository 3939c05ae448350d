-- Contract terms follow the lot: an amendment prices harvests on or after its effective date (China date); the
-- signed terms (version 1) price everything before the first amendment, so theirs stays null ("from the start").
-- Amendments recorded before this column existed took effect when they were recorded.
alter table contract_terms add column effective_from date;
update contract_terms set effective_from = (recorded_at at time zone 'Asia/Shanghai')::date where version > 1;
