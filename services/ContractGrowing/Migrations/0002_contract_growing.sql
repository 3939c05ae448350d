-- Enping contract growing (恩平订单种植): growers, plots, seedling lineage, contracts with versioned terms,
-- visits and field logs, and graded deliveries for fulfilment.

create table growers (
    id             uuid        primary key,
    cooperative_id text        not null,
    name           text        not null,
    phone          text        not null,
    id_number      text,
    town           text        not null,
    village        text        not null,
    registered_at  timestamptz not null
);
create index growers_by_coop on growers (cooperative_id, id);

create table plots (
    id             uuid          primary key,
    cooperative_id text          not null,
    grower_id      uuid          not null references growers (id),
    area_m2        numeric(12,2) not null check (area_m2 > 0),
    location       text          not null,
    latitude       numeric(9,6),
    longitude      numeric(9,6),
    created_at     timestamptz   not null
);

create table seedling_batches (
    id               uuid         primary key,
    cooperative_id   text         not null,
    batch_no         text         not null,
    nursery          text         not null,
    mother_field     text         not null,
    sown_on          date         not null,
    count            int          not null check (count > 0),
    remaining        int          not null check (remaining >= 0 and remaining <= count),
    germination_rate numeric(5,4) not null,
    created_at       timestamptz  not null,
    unique (cooperative_id, batch_no)
);

create table contracts (
    id             uuid        primary key,
    cooperative_id text        not null,
    grower_id      uuid        not null references growers (id),
    plot_id        uuid        not null references plots (id),
    season         text        not null,
    variety        text        not null,
    seedlings      int         not null,
    density_per_mu int,
    status         text        not null check (status in ('draft', 'signed', 'completed', 'terminated')),
    version        int         not null default 1,
    created_at     timestamptz not null,
    signed_at      timestamptz,
    closed_at      timestamptz
);
create index contracts_by_season on contracts (cooperative_id, season);

-- Every version of a contract's terms; the contract's current terms are its highest version.
create table contract_terms (
    contract_id       uuid        not null references contracts (id),
    version           int         not null,
    expected_grams    bigint      not null,
    premium_fen       bigint      not null,
    grade1_fen        bigint      not null,
    grade2_fen        bigint      not null,
    offgrade_fen      bigint      not null,
    quality_terms     text,
    reason            text,
    recorded_at       timestamptz not null,
    recorded_by       text        not null,
    primary key (contract_id, version)
);

create table seedling_issues (
    id             uuid        primary key,
    cooperative_id text        not null,
    contract_id    uuid        not null references contracts (id),
    batch_id       uuid        not null references seedling_batches (id),
    count          int         not null check (count > 0),
    issued_on      date        not null,
    issued_at      timestamptz not null
);
create index seedling_issues_by_contract on seedling_issues (contract_id);

create table visits (
    id             uuid        primary key,
    cooperative_id text        not null,
    contract_id    uuid        not null references contracts (id),
    kind           text        not null check (kind in ('training', 'guidance')),
    visited_on     date        not null,
    officer        text        not null,
    topic          text        not null,
    growth_stage   text,
    pests          text,
    disease        text,
    advice         text,
    observations   text,
    recorded_at    timestamptz not null
);

create table field_logs (
    id                         uuid        primary key,
    cooperative_id             text        not null,
    contract_id                uuid        not null references contracts (id),
    kind                       text        not null check (kind in ('planting', 'input', 'harvest')),
    logged_on                  date        not null,
    material                   text,
    quantity                   text,
    pre_harvest_interval_days  int,
    note                       text,
    recorded_at                timestamptz not null
);

-- Graded lines of deliveries under contract (HarvestGraded), kept apart from the receipt so either may come first.
create table graded_deliveries (
    receipt_id     uuid   not null,
    grade          text   not null,
    cooperative_id text   not null,
    contract_id    uuid   not null,
    grams          bigint not null,
    primary key (receipt_id, grade)
);
create index graded_by_contract on graded_deliveries (cooperative_id, contract_id);
