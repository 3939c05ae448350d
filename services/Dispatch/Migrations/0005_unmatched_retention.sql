-- Unmatched route records age out (RouteIngest.UnmatchedKeptFor) and are bounded in number: the age index serves both.
create index if not exists unmatched_route_records_received on unmatched_route_records (received_at);
