-- A carrier account (an SF monthly card, a JD customer code) belongs to one cooperative: the carrier bills it. Until
-- now a second cooperative could save another's card and book, and be billed, on it.

-- Where two cooperatives already hold the same card it stays with the one that saved it first and the other's row is
-- moved here: that cooperative books nothing with the carrier until its admin saves its own card
-- (PUT /api/v1/dispatch/carrier-accounts; collecting answers 409 carrier-account-required meanwhile).
create table displaced_carrier_accounts (
    cooperative_id text        not null,
    carrier        text        not null,
    account        text        not null,
    discount_bps   int         not null,
    default_for    text[]      not null,
    kept_by        text        not null,
    displaced_at   timestamptz not null default now(),
    primary key (cooperative_id, carrier)
);

-- "First" as far as the rows tell: a save replaces a cooperative's rows, so the oldest row version (the largest
-- age(xmin)) is the save that has stood longest; equal ages (rows frozen by vacuum) go to the cooperative id.
with ranked as (
    select cooperative_id, carrier, account, discount_bps, default_for,
           first_value(cooperative_id) over w as kept_by, row_number() over w as n
    from carrier_accounts
    where account is not null
    window w as (partition by carrier, account order by age(xmin) desc, cooperative_id)
)
insert into displaced_carrier_accounts (cooperative_id, carrier, account, discount_bps, default_for, kept_by)
select cooperative_id, carrier, account, discount_bps, default_for, kept_by from ranked where n > 1;

delete from carrier_accounts a using displaced_carrier_accounts d
where a.cooperative_id = d.cooperative_id and a.carrier = d.carrier and a.account = d.account;

do $$
declare d record;
begin
    for d in select * from displaced_carrier_accounts order by cooperative_id, carrier loop
        raise notice 'carrier account % % of cooperative % removed: it stays with %, who saved it first; % must save its own',
            d.carrier, d.account, d.cooperative_id, d.kept_by, d.cooperative_id;
    end loop;
end $$;

create unique index carrier_accounts_one_cooperative on carrier_accounts (carrier, account);

-- A collection keeps its booking lease while it talks to the carrier: it stamps booking_alive_at every
-- Dispatch:Cancellations:LeaseRenewSeconds, and the cancellation worker waits until the later of booking_started_at
-- and booking_alive_at is a lease old before it cancels at the carrier.
alter table pickups add column booking_alive_at timestamptz;

-- The carrier that refused the last attempt to cancel for a reason only a person can fix (signature, token,
-- permission): /health/ready is Degraded naming it while such a request waits.
alter table cancellation_requests add column refused_by text;
