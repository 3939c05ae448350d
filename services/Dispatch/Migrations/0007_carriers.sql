-- Several carriers (services/Dispatch/CARRIERS.md, "Adding a carrier"): every rate card line, pickup and early route
-- record names its carrier; route records keep the status the carrier's adapter mapped (MelonChain's vocabulary).

-- Rate cards per carrier and cooperative. A cooperative's own lines replace the default card ('*') carrier by carrier.
alter table rate_cards add column carrier text not null default 'sf';
alter table rate_cards alter column carrier drop default;
alter table rate_cards drop constraint rate_cards_pkey;
alter table rate_cards add primary key (cooperative_id, carrier, product, origin_province, destination);

-- The JD-style cold-chain carrier's illustrative lines (origin Guangdong).
insert into rate_cards (cooperative_id, carrier, product, origin_province, destination, first_grams, first_fen, per_kg_fen,
                        volumetric_divisor, promised_days, per_shipment) values
    ('*', 'jd', 'jd_express', 'Guangdong', 'Beijing',  1000, 2300, 1100, 6000, 2, false),
    ('*', 'jd', 'jd_express', 'Guangdong', 'Shanghai', 1000, 2100,  900, 6000, 2, false),
    ('*', 'jd', 'jd_cold',    'Guangdong', 'Beijing',  1000, 3200, 1600, 6000, 2, false),
    ('*', 'jd', 'jd_cold',    'Guangdong', 'Shanghai', 1000, 3000, 1400, 6000, 2, false)
on conflict do nothing;

-- The carrier a pickup will be booked with: the cooperative's default for the destination when it carries the
-- order's kind of product, else the carrier of the order's product; a dispatcher may choose another before collection.
alter table pickups add column carrier text not null default 'sf';
alter table pickups alter column carrier drop default;

-- Early records keep their carrier and mapped status until their booking adopts them.
alter table unmatched_route_records add column carrier text not null default 'sf';
alter table unmatched_route_records alter column carrier drop default;
alter table unmatched_route_records add column status text;
update unmatched_route_records set status = case
    when op_code in ('50', '54') then 'picked_up'
    when op_code in ('30', '31', '36', '407', '501', '655') then 'in_transit'
    when op_code in ('44', '204') then 'out_for_delivery'
    when op_code in ('80', '8000') then 'delivered'
    when op_code in ('70', '33') then 'delivery_failed'
    when op_code in ('99', '631', '648') then 'return_to_sender' end;
