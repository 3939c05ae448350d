-- 理赔与客诉 (issue 30): buyers' claims on delivered boxes, decided by a clerk; carriers' compensation for lost or damaged
-- parcels. An accepted credit lowers, compensation raises, the revenue of the pools the boxes were sold from: in the
-- settlement of its order, or, decided after that, as adjustment lines in the next settlement split over the same
-- growers by the same shares. settlement_id names the settlement that took it (reversal clears it again).
create table claims (
    id               uuid        primary key,
    cooperative_id   text        not null,
    order_id         uuid        not null references orders (id),
    kind             text        not null check (kind in ('spoiled', 'damaged', 'short_weight', 'missing')),
    trace_codes      text[]      not null check (cardinality(trace_codes) > 0),
    grams            bigint      not null check (grams > 0),
    credit_asked_fen bigint      not null check (credit_asked_fen > 0),
    note             text,
    filed_at         timestamptz not null,
    filed_by         text        not null,
    status           text        not null default 'open' check (status in ('open', 'accepted', 'rejected')),
    credit_fen       bigint      check (credit_fen >= 0 and credit_fen <= credit_asked_fen),
    carrier_liable   boolean,
    reason           text,
    decided_at       timestamptz,
    decided_by       text,
    settlement_id    uuid        references settlements (id),
    check ((status = 'open') = (decided_at is null)),
    check (status <> 'accepted' or credit_fen > 0),
    check (status <> 'rejected' or reason is not null)
);
create index claims_queue on claims (cooperative_id, status, filed_at);
create index claims_unsettled on claims (order_id) where status = 'accepted' and settlement_id is null;

create table carrier_compensations (
    carrier_claim_id uuid        primary key,
    cooperative_id   text        not null,
    order_id         uuid        not null references orders (id),
    waybill_no       text        not null,
    amount_fen       bigint      not null check (amount_fen > 0),
    trace_codes      text[]      not null,
    paid_at          timestamptz not null,
    settlement_id    uuid        references settlements (id)
);
create index carrier_compensations_unsettled on carrier_compensations (order_id) where settlement_id is null;

alter table settlements add column credits_fen      bigint not null default 0;
alter table settlements add column compensation_fen bigint not null default 0;
alter table settlement_pools add column credits_fen      bigint not null default 0;
alter table settlement_pools add column compensation_fen bigint not null default 0;

-- A credit (negative) or compensation (positive) for an order settled earlier, one line per grower and grade.
create table statement_adjustments (
    settlement_id  uuid   not null references settlements (id),
    grower_id      uuid   not null references growers (id),
    order_id       uuid   not null references orders (id),
    source_id      uuid   not null,
    kind           text   not null check (kind in ('credit', 'compensation')),
    grade          text   not null,
    amount_fen     bigint not null,
    primary key (settlement_id, grower_id, source_id, grade)
);

alter table account_entries drop constraint account_entries_kind_check;
alter table account_entries add constraint account_entries_kind_check
    check (kind in ('settlement', 'deduction', 'top_up', 'payment', 'advance', 'surplus_return', 'reversal', 'adjustment'));
