-- Each cooperative's profile, kept by its admin (PUT /profile): no per-cooperative value lives in configuration.
-- A cooperative exists once its profile is saved; until then receiving, grading, packing and settling answer 409
-- profile-required. The version rises with every save and travels in CooperativeProfileSaved.
create table cooperative_profiles (
    cooperative_id        text primary key,
    name                  text not null,
    short_name            text not null,
    village               text not null,
    province              text not null,
    city                  text not null,
    county                text not null,
    street                text not null,
    contact_name          text not null,
    phone                 text not null,
    receipt_prefix        text not null unique,
    commission_bps        int  not null check (commission_bps between 0 and 3000),
    box_fee_fen           bigint not null check (box_fee_fen >= 0),
    max_shrink_bps        int  not null check (max_shrink_bps between 0 and 3000),
    max_lot_age_days      int  not null check (max_lot_age_days between 1 and 30),
    certificate_producer  text not null,
    certificate_origin    text not null,
    certificate_contact   text not null,
    certificate_basis     text not null,
    version               int  not null,
    updated_at            timestamptz not null,
    updated_by            text not null
);
