-- A delivery names the cooperative's member who made it: a Cooperative id, so it is member_id (it was grower_id,
-- which reads like this service's own growers).
alter table deliveries rename column grower_id to member_id;
