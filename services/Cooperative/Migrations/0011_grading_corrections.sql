-- Grading corrections: a grading is corrected by an explicit reversal (who, when, why) and a new grading; both stay
-- on record. A receipt therefore has gradings numbered 1, 2, … of which at most one is live (not reversed). The lots
-- of a reversed grading are withdrawn from stock; they were never allocated, since a grading whose lots are packed
-- cannot be reversed.
alter table gradings add column id uuid;
alter table gradings add column grading_no int not null default 1;
alter table gradings add column reversed_at timestamptz;
alter table gradings add column reversed_by text;
alter table gradings add column reversal_reason text;
update gradings set id = receipt_id;
alter table gradings alter column id set not null;
alter table gradings alter column grading_no drop default;
alter table gradings drop constraint gradings_pkey;
alter table gradings add primary key (id);
alter table gradings add constraint gradings_numbered unique (receipt_id, grading_no);
alter table gradings add constraint gradings_reversal_complete
    check ((reversed_at is null) = (reversed_by is null) and (reversed_at is null) = (reversal_reason is null));
create unique index gradings_one_live on gradings (receipt_id) where reversed_at is null;

alter table lots add column grading_id uuid references gradings (id);
update lots set grading_id = receipt_id;
alter table lots alter column grading_id set not null;
alter table lots add column withdrawn_at timestamptz;
alter table lots add constraint lots_withdrawn_unallocated check (withdrawn_at is null or allocated_grams = 0);
create index lots_by_grading on lots (grading_id);

drop index lots_fifo;
create index lots_fifo on lots (cooperative_id, grade, harvested_on, graded_at, id) where allocated_grams < grams and withdrawn_at is null;
