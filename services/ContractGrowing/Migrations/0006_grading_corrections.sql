-- Grading corrections in the Cooperative: a receipt may be graded again after its grading is reversed. The graded
-- lines are kept per grading number, and reversals apart from them, so a reversal that arrives before the grading
-- it reverses (or a new grading before the reversal of the old) still ends with only the live grading counted.
alter table graded_deliveries add column grading_no int not null default 1;
alter table graded_deliveries alter column grading_no drop default;
alter table graded_deliveries drop constraint graded_deliveries_pkey;
alter table graded_deliveries add primary key (receipt_id, grading_no, grade);

create table reversed_gradings (
    receipt_id     uuid        not null,
    grading_no     int         not null,
    cooperative_id text        not null,
    reason         text        not null,
    reversed_at    timestamptz not null,
    primary key (receipt_id, grading_no)
);
