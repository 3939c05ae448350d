-- Each cooperative's sender (its profile's names, address and contact), a copy kept from CooperativeProfileSaved:
-- the newest version wins whatever order the saves arrive in.
create table cooperative_senders (
    cooperative_id text primary key,
    name           text not null,
    short_name     text not null,
    contact_name   text not null,
    phone          text not null,
    province       text not null,
    city           text not null,
    county         text not null,
    street         text not null,
    version        int  not null,
    saved_at       timestamptz not null
);

-- A cooperative's account with each carrier: the monthly card (月结卡号) booking bills to, the negotiated discount,
-- and the destination cities it is the default for. Rows from the first stage held only a discount: booking asks
-- for the account until the admin saves it (PUT /carrier-accounts).
alter table carrier_accounts add column carrier text not null default 'sf';
alter table carrier_accounts alter column carrier drop default;
alter table carrier_accounts add column account text;
alter table carrier_accounts add column default_for text[] not null default '{}';
alter table carrier_accounts drop constraint carrier_accounts_pkey;
alter table carrier_accounts add primary key (cooperative_id, carrier);
