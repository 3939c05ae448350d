-- How each box's carrier order ended (shipment-part-ended): delivered, returned or lost. Kept apart from boxes so an
-- ending that arrives before the box is known is not lost; a box without a row is still on its way.
create table box_outcomes (
    trace_code       text        primary key,
    order_id         uuid        not null,
    cooperative_id   text        not null,
    carrier_order_id text        not null,
    outcome          text        not null check (outcome in ('delivered', 'returned', 'lost')),
    ended_at         timestamptz not null
);
create index box_outcomes_by_order on box_outcomes (order_id);
create index box_outcomes_by_cooperative on box_outcomes (cooperative_id);
