-- How each carrier order ended (delivered, returned, lost: PartOutcomes), once: ShipmentPartEnded is published when
-- outcome is first set. A carrier order without an outcome is still on its way; polled until it has one.
alter table carrier_orders add column outcome text check (outcome in ('delivered', 'returned', 'lost'));
alter table carrier_orders add column ended_at timestamptz;

-- Carrier orders that ended before outcomes were kept: the shipment's ending is theirs.
update carrier_orders o set outcome = case s.status when 'delivered' then 'delivered' else 'returned' end,
                            ended_at = coalesce(s.delivered_at, s.status_at)
from shipments s where s.id = o.shipment_id and s.status in ('delivered', 'return_to_sender');

-- The parts still on their way (polled, and watched for overdue).
create index carrier_orders_on_their_way on carrier_orders (shipment_id) where outcome is null;
create index shipments_on_their_way on shipments (last_route_at) where status <> 'cancelled';
