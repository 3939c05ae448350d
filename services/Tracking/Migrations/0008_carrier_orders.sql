-- Every carrier order of a shipment (shipment-booked's carrierOrders): a shipment of more than 300 boxes is several
-- orders at the carrier, each with its own waybill (JD: one deliveryId per order, its parcels are package codes of it),
-- and a buyer may hold any of them. Each parcel's waybill names the carrier order it travels in.
create table carrier_orders (
    carrier_order_id   text primary key,
    order_id           uuid not null,
    cooperative_id     text not null,
    part               int  not null,
    master_waybill_no  text not null,
    parcels            int  not null
);
create index carrier_orders_by_order on carrier_orders (order_id);
create index carrier_orders_by_waybill on carrier_orders (master_waybill_no);
create index carrier_orders_by_cooperative on carrier_orders (cooperative_id);

alter table waybills add column carrier_order_id text;

-- The shipments booked before: their carrier orders from the kept events, and each parcel's carrier order by its place
-- (Dispatch lists the waybills part by part, each carrier order's parcels in turn).
insert into carrier_orders (carrier_order_id, order_id, cooperative_id, part, master_waybill_no, parcels)
select co.c ->> 'carrierOrderId', (e.body ->> 'orderId')::uuid, e.cooperative_id, co.n::int, co.c ->> 'masterWaybillNo', (co.c ->> 'parcels')::int
from event_log e cross join lateral jsonb_array_elements(e.body -> 'carrierOrders') with ordinality as co(c, n)
where e.event_type = 'shipment-booked' and jsonb_typeof(e.body -> 'carrierOrders') = 'array'
on conflict (carrier_order_id) do nothing;

update waybills w set carrier_order_id = x.carrier_order_id
from (select wb.v ->> 'waybillNo' as waybill_no, parts.carrier_order_id
      from event_log e
      cross join lateral jsonb_array_elements(e.body -> 'waybills') with ordinality as wb(v, i)
      join lateral (select c ->> 'carrierOrderId' as carrier_order_id,
                           sum((c ->> 'parcels')::int) over (order by n) - (c ->> 'parcels')::int as before,
                           sum((c ->> 'parcels')::int) over (order by n) as through
                    from jsonb_array_elements(e.body -> 'carrierOrders') with ordinality as co(c, n)) parts
           on wb.i > parts.before and wb.i <= parts.through
      where e.event_type = 'shipment-booked' and jsonb_typeof(e.body -> 'carrierOrders') = 'array'
        and jsonb_typeof(e.body -> 'waybills') = 'array') x
where w.waybill_no = x.waybill_no;
