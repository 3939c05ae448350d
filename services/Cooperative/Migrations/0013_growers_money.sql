-- Growers' money: the deductions catalogue, advances netted on statements, and the year's surplus return (盈余返还).

-- 扣款 catalogue: amount is read in its basis's unit (fen per kg sold, fen per box, basis points of revenue, fen per
-- statement). A settlement applies the rules in force on its last day; statements keep each rule's name and basis
-- as applied, so the catalogue can change afterwards.
create table deduction_rules (
    id             uuid        primary key,
    cooperative_id text        not null,
    position       int         not null,
    name           text        not null,
    basis          text        not null check (basis in ('per_kg_sold', 'per_box', 'revenue_bps', 'per_statement')),
    amount         bigint      not null check (amount > 0),
    grade          text        check (grade in ('premium', 'grade1', 'grade2', 'offgrade')),
    effective_from date        not null,
    effective_to   date        check (effective_to >= effective_from),
    saved_at       timestamptz not null,
    saved_by       text        not null,
    unique (cooperative_id, name)
);

alter table settlements add column deductions_fen bigint not null default 0;
alter table settlements add column advances_netted_fen bigint not null default 0;

create table statement_deductions (
    settlement_id uuid   not null references settlements (id),
    grower_id     uuid   not null references growers (id),
    rule_id       uuid   not null,
    name          text   not null,
    basis         text   not null,
    amount_fen    bigint not null,
    primary key (settlement_id, grower_id, rule_id)
);

-- 预付款冲抵: what each statement netted of the grower's outstanding advances, and what carried forward.
create table statement_advances (
    settlement_id   uuid   not null references settlements (id),
    grower_id       uuid   not null references growers (id),
    outstanding_fen bigint not null check (outstanding_fen > 0),
    netted_fen      bigint not null check (netted_fen >= 0 and netted_fen <= outstanding_fen),
    carried_fen     bigint not null check (carried_fen = outstanding_fen - netted_fen),
    primary key (settlement_id, grower_id)
);
create index statement_advances_by_grower on statement_advances (grower_id);

alter table account_entries drop constraint account_entries_kind_check;
alter table account_entries add constraint account_entries_kind_check
    check (kind in ('settlement', 'deduction', 'top_up', 'payment', 'advance', 'surplus_return'));
create index account_entries_advances on account_entries (grower_id) where kind = 'advance';

-- 盈余返还: a year's distributable surplus, at least 60% returned by each member's transaction volume that year.
create table surplus_returns (
    id                uuid        primary key,
    cooperative_id    text        not null,
    year              int         not null,
    distributable_fen bigint      not null check (distributable_fen > 0),
    volume_share_bps  int         not null check (volume_share_bps between 6000 and 10000),
    by_volume_fen     bigint      not null,
    retained_fen      bigint      not null check (by_volume_fen + retained_fen = distributable_fen),
    returned_at       timestamptz not null,
    returned_by       text        not null,
    unique (cooperative_id, year)
);

create table surplus_return_shares (
    surplus_return_id uuid   not null references surplus_returns (id),
    grower_id         uuid   not null references growers (id),
    volume_grams      bigint not null check (volume_grams > 0),
    amount_fen        bigint not null check (amount_fen >= 0),
    primary key (surplus_return_id, grower_id)
);
