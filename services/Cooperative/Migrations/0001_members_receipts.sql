-- Members (成员) and receipts (统一收货).

create table growers (
    id             uuid        primary key,
    cooperative_id text        not null,
    member_no      text        not null,
    name           text        not null,
    phone          text        not null,
    village        text        not null,
    kind           text        not null check (kind in ('member', 'contract')),
    contract_id    uuid,
    registered_at  timestamptz not null,
    unique (cooperative_id, member_no)
);

-- Receipt numbers are sequential per cooperative and day (PREFIX-20260612-0007).
create table receipt_counters (
    cooperative_id text not null,
    day            date not null,
    last_no        int  not null,
    primary key (cooperative_id, day)
);

create table receipts (
    id             uuid        primary key,
    cooperative_id text        not null,
    receipt_no     text        not null,
    grower_id      uuid        not null references growers (id),
    contract_id    uuid,
    harvested_on   date        not null,
    gross_grams    bigint      not null check (gross_grams > 0),
    crates         int         not null check (crates >= 0),
    note           text,
    received_at    timestamptz not null,
    recorded_by    text        not null,
    unique (cooperative_id, receipt_no)
);
create index receipts_by_grower on receipts (cooperative_id, grower_id, harvested_on);
