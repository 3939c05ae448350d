-- Route records for waybills not booked here (yet). The carrier can push a waybill's first records before Dispatch
-- has committed the booking that issued it (a slow commit, or a crash between the carrier's acceptance and the
-- commit, then a retry). They are acknowledged, kept raw, and adopted by the shipment when its booking commits.
create table unmatched_route_records (
    waybill_no     text        not null,
    op_code        text        not null,
    accept_time    timestamptz not null,
    accept_address text        not null,
    remark         text        not null,
    raw            jsonb       not null,
    received_at    timestamptz not null,
    primary key (waybill_no, op_code, accept_time)
);
