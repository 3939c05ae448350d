-- 统一结算: closed periods, pools per grade, grower statements, member accounts (成员往来), yearly volume.

create table settlements (
    id             uuid        primary key,
    cooperative_id text        not null,
    period_from    date        not null,
    period_to      date        not null,
    revenue_fen    bigint      not null,
    freight_fen    bigint      not null,
    packaging_fen  bigint      not null,
    commission_fen bigint      not null,
    payout_fen     bigint      not null,
    top_up_fen     bigint      not null,
    orders         int         not null,
    settled_at     timestamptz not null,
    settled_by     text        not null
);
create index settlements_by_period on settlements (cooperative_id, period_from, period_to);

create table settlement_pools (
    settlement_id  uuid   not null references settlements (id),
    grade          text   not null,
    sold_grams     bigint not null,
    revenue_fen    bigint not null,
    freight_fen    bigint not null,
    packaging_fen  bigint not null,
    commission_fen bigint not null,
    net_fen        bigint not null,
    primary key (settlement_id, grade)
);

create table statement_lines (
    settlement_id  uuid   not null references settlements (id),
    grower_id      uuid   not null references growers (id),
    grade          text   not null,
    grams          bigint not null,
    payout_fen     bigint not null,
    top_up_fen     bigint not null,
    primary key (settlement_id, grower_id, grade)
);

-- The member account: credits from settlements, debits for payouts made; balance = what is owed to the grower.
create table account_entries (
    id             uuid        primary key,
    cooperative_id text        not null,
    grower_id      uuid        not null references growers (id),
    settlement_id  uuid,
    kind           text        not null check (kind in ('settlement', 'top_up', 'payment')),
    amount_fen     bigint      not null,
    note           text,
    entered_at     timestamptz not null
);
create index account_entries_by_grower on account_entries (grower_id, entered_at);

-- Transaction volume per member and year, the basis of a later surplus return (at least 60% by volume).
create table member_volume (
    cooperative_id text   not null,
    grower_id      uuid   not null references growers (id),
    year           int    not null,
    sold_grams     bigint not null,
    payout_fen     bigint not null,
    primary key (cooperative_id, grower_id, year)
);
